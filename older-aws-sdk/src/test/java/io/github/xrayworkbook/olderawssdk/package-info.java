/**
 * The trace header a function with no tracing library sends through the AWS SDK alone, on the AWS
 * SDK 2.33.13 and on this build's, with the trace id where the runtime client keeps it on Lambda
 * Managed Instances.
 */
package io.github.xrayworkbook.olderawssdk;
