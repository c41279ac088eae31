/**
 * Step 7: a request across services. {@link io.github.xrayworkbook.step7.ApiHandler} answers an API
 * Gateway REST API and queues a message in SQS; {@link io.github.xrayworkbook.step7.QueueHandler}
 * consumes the queue and reads S3. Both run from the same deployment package, each as its own
 * function, and both are traced by the X-Ray instrumentor jar alone, as in step 2.
 */
package io.github.xrayworkbook.step7;
