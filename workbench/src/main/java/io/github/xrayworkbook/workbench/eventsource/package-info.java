/**
 * A stand-in for Lambda's SQS event source mapping: it polls the embedded queue server and
 * invokes the consumer function with batches, as Lambda does, for step 7.
 */
package io.github.xrayworkbook.workbench.eventsource;
