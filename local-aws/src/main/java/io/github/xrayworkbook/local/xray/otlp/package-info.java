/**
 * OpenTelemetry spans arriving at the local X-Ray daemon: the {@code T1S}/{@code T1U} + base64
 * OTLP datagrams that Lambda's X-Ray endpoint takes, and their conversion into the segment
 * documents X-Ray makes of them.
 */
package io.github.xrayworkbook.local.xray.otlp;
