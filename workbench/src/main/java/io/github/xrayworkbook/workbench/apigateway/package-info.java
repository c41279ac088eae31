/**
 * A stand-in for an API Gateway REST API stage in front of a Lambda function: an HTTP endpoint on
 * loopback that sends proxy events through the real runtime client and records the stage's
 * segment, as X-Ray stores it, for step 7.
 */
package io.github.xrayworkbook.workbench.apigateway;
