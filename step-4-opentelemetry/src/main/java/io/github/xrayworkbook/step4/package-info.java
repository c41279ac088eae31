/**
 * Step 4: step 3's function traced with OpenTelemetry instead of the X-Ray SDK, the path AWS
 * recommends now that the X-Ray SDKs are in maintenance mode. The handler's span joins Lambda's
 * trace through {@code AwsXrayLambdaPropagator}, the S3 call is traced by OpenTelemetry's AWS SDK
 * interceptor, and the spans go over UDP to the same X-Ray endpoint the X-Ray SDK uses, as OTLP.
 * The package holds no X-Ray SDK class.
 */
package io.github.xrayworkbook.step4;
