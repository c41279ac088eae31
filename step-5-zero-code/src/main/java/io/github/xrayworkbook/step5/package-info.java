/**
 * Step 5 has no code of its own: its deployment package is step 2's function without the X-Ray
 * SDK. In AWS, the OpenTelemetry Lambda layer's Java agent, started through
 * {@code AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument}, traces the handler and the S3 client;
 * locally the workbench starts the OpenTelemetry Java agent the same way.
 */
package io.github.xrayworkbook.step5;
