/**
 * An embedded SQS-compatible server, ElasticMQ, for a step with a queue between two functions.
 * ElasticMQ is maintained, speaks both of SQS's protocols (the AWS SDK for Java 2.x uses the JSON
 * one), runs in this JVM with no Docker, and keeps a message's {@code AWSTraceHeader} system
 * attribute, which carries the X-Ray trace header from producer to consumer.
 */
package io.github.xrayworkbook.local.sqs;
