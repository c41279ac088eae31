/**
 * Step 8's reads at once with no tracing code, for the OpenTelemetry Java agent, which wraps the
 * tasks handed to a JDK executor with the context current when they were submitted.
 */
package io.github.xrayworkbook.step8.zerocode;
