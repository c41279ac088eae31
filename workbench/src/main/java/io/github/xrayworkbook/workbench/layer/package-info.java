/**
 * AWS's OpenTelemetry Lambda layer, as the workbench runs it for steps whose POM sets
 * {@code workbook.opentelemetry-layer}: the layer wrapper's environment and the Java agent.
 */
package io.github.xrayworkbook.workbench.layer;
