/**
 * Local stand-ins for the AWS services the workbook talks to, so that every step runs and is
 * tested on one machine with no AWS account.
 *
 * <ul>
 *   <li>{@link io.github.xrayworkbook.local.xray}: an X-Ray daemon listener that receives the
 *       segment documents the real X-Ray SDK sends over UDP;</li>
 *   <li>{@link io.github.xrayworkbook.local.s3}: an embedded S3-compatible server (S3Proxy,
 *       in memory, checking real SigV4 signatures);</li>
 *   <li>{@link io.github.xrayworkbook.local.sqs}: an embedded SQS-compatible server (ElasticMQ,
 *       in memory) for step 7, which keeps a message's {@code AWSTraceHeader};</li>
 *   <li>{@link io.github.xrayworkbook.local.schema}: AWS's published segment document schema;</li>
 *   <li>{@link io.github.xrayworkbook.local.junit}: a JUnit 5 fixture that wires the X-Ray listener, S3 and the schema for a
 *       handler running in-process in Lambda mode.</li>
 * </ul>
 */
package io.github.xrayworkbook.local;
