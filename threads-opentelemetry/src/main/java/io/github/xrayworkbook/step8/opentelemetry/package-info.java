/**
 * Step 8's reads at once on OpenTelemetry by hand (step 4's way of tracing), for comparison with
 * the X-Ray SDK's three handlers: a shared pool with nothing passed, and the same pool wrapped by
 * {@code Context.taskWrapping}, which hands each task the context it was submitted in.
 */
package io.github.xrayworkbook.step8.opentelemetry;
