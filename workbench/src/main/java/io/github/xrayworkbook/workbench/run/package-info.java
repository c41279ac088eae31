/**
 * One local run of a step: the stand-ins started, the function invoked, and each invocation's
 * trace assembled and checked against AWS's schema.
 */
package io.github.xrayworkbook.workbench.run;
