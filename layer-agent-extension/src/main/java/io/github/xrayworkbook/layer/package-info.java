/**
 * What the Java agent of AWS's OpenTelemetry Lambda layer does and the upstream OpenTelemetry Java
 * agent does not: send spans to Lambda's X-Ray endpoint over UDP. Loaded as an agent extension by
 * the workbench for steps whose POM sets {@code workbook.opentelemetry-layer}; never part of a
 * function's package.
 */
package io.github.xrayworkbook.layer;
