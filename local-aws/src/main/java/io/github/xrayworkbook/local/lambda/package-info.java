/** The Lambda side of the machine: a step's deployment package as Lambda unpacks and loads it. */
package io.github.xrayworkbook.local.lambda;
