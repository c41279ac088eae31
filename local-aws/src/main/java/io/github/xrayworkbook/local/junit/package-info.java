/**
 * A JUnit 5 fixture for running a handler in-process the way Lambda runs it: the X-Ray SDK in
 * Lambda mode, a trace header per invocation, a local daemon and a local S3 server.
 */
package io.github.xrayworkbook.local.junit;
