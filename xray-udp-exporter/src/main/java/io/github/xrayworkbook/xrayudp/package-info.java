/**
 * Sends OpenTelemetry spans to Lambda's X-Ray endpoint over UDP: the daemon's header line, then
 * {@code T1S} or {@code T1U}, then the base64 of an OTLP export request, one datagram of at most
 * 65,507 bytes at a time. ADOT publishes the same exporter as
 * {@code software.amazon.distro.opentelemetry:aws-distro-opentelemetry-xray-udp-span-exporter};
 * this module stands in for it where a registry does not serve it.
 */
package io.github.xrayworkbook.xrayudp;
