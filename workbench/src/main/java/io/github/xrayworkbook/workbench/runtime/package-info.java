/**
 * Lambda on this machine: the Runtime API the runtime interface client polls, the function's JVM
 * started as the java21 runtime starts it, and the timing of every invocation.
 */
package io.github.xrayworkbook.workbench.runtime;
