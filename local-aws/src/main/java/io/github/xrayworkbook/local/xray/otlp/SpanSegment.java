package io.github.xrayworkbook.local.xray.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One OpenTelemetry span as X-Ray's own service converts it when the span reaches Lambda's X-Ray
 * endpoint over UDP. AWS documents only the outline ("server spans convert to X-Ray segments, other
 * spans convert to X-Ray sub-segments", xray-migration-opentelemetry); the fields follow documents
 * X-Ray stored and returned from {@code BatchGetTraces}, kept as fixtures with their sources in
 * {@code local-aws/src/test/resources/real-traces/opentelemetry/SOURCES.md}:
 *
 * <ul>
 *   <li>a SERVER span, or a span without a parent, is a segment named after the resource's
 *       {@code service.name} (the function's name in Lambda), with {@code parent_id} the span's
 *       parent; any other span is a subsegment, written here as an independent subsegment
 *       ({@code "type": "subsegment"}, its parent span as {@code parent_id}) that X-Ray's store
 *       then nests in the document of the segment it belongs to (see
 *       {@link io.github.xrayworkbook.local.xray.StoredTrace});</li>
 *   <li>{@code fault}, {@code error} and {@code throttle} are always written, {@code false}
 *       included;</li>
 *   <li>the {@code aws} block holds {@code span.kind} (the OpenTelemetry kind, or the
 *       {@code aws.span.kind} attribute), every other {@code aws.*} attribute with its
 *       {@code aws.} prefix stripped (the span's own, and on a segment the resource's, such as
 *       {@code log.group.names}), {@code bucket_name} for an S3 call, and on a segment
 *       {@code xray.fault}, {@code xray.error}, {@code xray.throttle} and {@code xray} (the SDK's
 *       name, version and whether an agent instrumented it);</li>
 *   <li>annotations keep their dotted keys: {@code span.kind} and {@code span.name} on every
 *       span; on a segment also {@code aws.local.service}, {@code aws.local.operation} and
 *       {@code aws.local.environment}, which X-Ray adds itself; the {@code aws.local.*} and
 *       {@code aws.remote.*} attributes that Application Signals puts on spans; and the attributes
 *       named in {@code aws.xray.annotations}, under their own names;</li>
 *   <li>metadata is flat, one key per attribute with its type kept: the resource's attributes
 *       and the span's, less those that became annotations or went to the {@code aws} block;</li>
 *   <li>an AWS SDK span ({@code rpc.system = aws-api}) is named after {@code rpc.service}
 *       ({@code S3}) in namespace {@code aws}; another CLIENT span is named after the host it
 *       called, in namespace {@code remote}; the operation stays in {@code rpc.method}, in
 *       metadata: no stored document of X-Ray's conversion has {@code aws.operation}.</li>
 * </ul>
 *
 * <p>Where the stored documents are silent, this keeps the rule of the OpenTelemetry Collector's
 * awsxray exporter (exporter/awsxrayexporter/internal/translator in
 * github.com/open-telemetry/opentelemetry-collector-contrib): an attribute
 * {@code aws.xray.metadata.NAMESPACE} holding a JSON object becomes that metadata namespace; the
 * {@code http} block comes from the HTTP attributes; exceptions become {@code cause}
 * ({@link SpanCause}); the trace id keeps its 128 bits, and a trace id that cannot be an X-Ray one
 * is refused.
 *
 * <p>Each document is marked the way the workbench marks what it writes in AWS's place: a
 * {@code workbench} metadata namespace holding {@code emulated}.
 */
final class SpanSegment {

    static final String EMULATED = "Written by the workbench in place of X-Ray's conversion of an OpenTelemetry span";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final String ANNOTATIONS = "aws.xray.annotations";
    private static final String METADATA_PREFIX = "aws.xray.metadata.";
    private static final String AWS_PREFIX = "aws.";
    private static final String SPAN_KIND = "aws.span.kind";
    /** The Application Signals attributes that X-Ray indexes as annotations. */
    private static final List<String> APPLICATION_SIGNALS = List.of("aws.local.service", "aws.local.operation",
            "aws.local.environment", "aws.remote.service", "aws.remote.operation");
    private static final Pattern NOT_IN_SEGMENT_NAMES = Pattern.compile("[^\\p{L}\\p{N} _.:/%&#=+\\-@]");
    // X-Ray keeps traces for 30 days; the collector refuses anything older than 28, or more than
    // 5 minutes in the future.
    private static final Duration MAX_AGE = Duration.ofDays(28);
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private SpanSegment() {
    }

    /**
     * @param now the time X-Ray would receive it, to check the trace id against
     * @throws IllegalArgumentException if the trace id cannot be an X-Ray trace id
     */
    static ObjectNode of(Span span, Resource resource, Instant now) {
        SpanAttributes attributes = new SpanAttributes(span.getAttributesList());
        SpanAttributes resourceAttributes = new SpanAttributes(resource.getAttributesList());
        boolean hasParent = !span.getParentSpanId().isEmpty();
        boolean segment = span.getKind() == SpanKind.SPAN_KIND_SERVER || !hasParent;
        boolean awsCall = attributes.string("rpc.system").filter("aws-api"::equals).isPresent();
        String service = resourceAttributes.string("service.name").orElse(span.getName());

        ObjectNode document = JSON.createObjectNode();
        document.put("name", segmentName(segment ? service : subsegmentName(span, attributes, awsCall)));
        document.put("id", HEX.formatHex(span.getSpanId().toByteArray()));
        document.put("trace_id", traceId(span.getTraceId(), now));
        document.put("start_time", seconds(span.getStartTimeUnixNano()));
        document.put("end_time", seconds(span.getEndTimeUnixNano()));
        if (hasParent) {
            document.put("parent_id", HEX.formatHex(span.getParentSpanId().toByteArray()));
        }
        if (!segment) {
            document.put("type", "subsegment");
        }
        if (awsCall) {
            document.put("namespace", "aws");
        } else if (span.getKind() == SpanKind.SPAN_KIND_CLIENT) {
            document.put("namespace", "remote");
        }
        document.put("fault", false).put("error", false).put("throttle", false);
        boolean java = resourceAttributes.string("telemetry.sdk.language").filter("java"::equals).isPresent();
        SpanCause.write(span, attributes, java, document);
        http(attributes).ifPresent(http -> document.set("http", http));

        ObjectNode annotations = annotations(span, attributes, segment, service);
        document.set("aws", aws(span, attributes, segment ? resourceAttributes : null, document));
        if (!annotations.isEmpty()) {
            document.set("annotations", annotations);
        }
        document.set("metadata", metadata(attributes, resourceAttributes));
        return document;
    }

    /** An AWS call is named after the service, another call after the host it went to. */
    private static String subsegmentName(Span span, SpanAttributes attributes, boolean awsCall) {
        if (awsCall) {
            return attributes.string("rpc.service").orElse(span.getName());
        }
        if (span.getKind() == SpanKind.SPAN_KIND_CLIENT) {
            return attributes.string("aws.remote.service", "peer.service", "server.address", "net.peer.name", "http.host")
                    .orElse(span.getName());
        }
        return span.getName();
    }

    private static String segmentName(String name) {
        String valid = NOT_IN_SEGMENT_NAMES.matcher(name).replaceAll("");
        if (valid.length() > 200) {
            return valid.substring(0, 200);
        }
        return valid.isEmpty() ? "span" : valid;
    }

    private static String traceId(ByteString otelTraceId, Instant now) {
        byte[] bytes = otelTraceId.toByteArray();
        if (bytes.length != 16) {
            throw new IllegalArgumentException("trace id has " + bytes.length + " bytes, not 16");
        }
        long epochSecond = Integer.toUnsignedLong(ByteBuffer.wrap(bytes, 0, 4).getInt());
        Instant start = Instant.ofEpochSecond(epochSecond);
        if (start.isBefore(now.minus(MAX_AGE)) || start.isAfter(now.plus(MAX_SKEW))) {
            throw new IllegalArgumentException("trace id " + HEX.formatHex(bytes) + " does not start with a"
                    + " recent epoch second, as X-Ray trace ids do: was it made by AwsXrayIdGenerator"
                    + " or taken from Lambda's trace header?");
        }
        return "1-" + HEX.formatHex(bytes, 0, 4) + "-" + HEX.formatHex(bytes, 4, 16);
    }

    private static double seconds(long epochNanos) {
        // Whole seconds apart from the fraction, or a double loses the last digits of the nanos.
        return epochNanos / 1_000_000_000L + (epochNanos % 1_000_000_000L) / 1e9;
    }

    /** The Collector's rule; the attributes stay in metadata as well, as X-Ray keeps them. */
    private static Optional<ObjectNode> http(SpanAttributes attributes) {
        ObjectNode request = JSON.createObjectNode();
        attributes.string("http.method", "http.request.method").ifPresent(method -> request.put("method", method));
        attributes.string("http.url", "url.full").ifPresent(url -> request.put("url", url));
        attributes.string("http.client_ip", "client.address").ifPresent(ip -> request.put("client_ip", ip));
        attributes.string("http.user_agent", "user_agent.original").ifPresent(agent -> request.put("user_agent", agent));
        ObjectNode response = JSON.createObjectNode();
        attributes.integer("http.status_code", "http.response.status_code")
                .ifPresent(status -> response.set("status", SpanAttributes.number(status)));
        attributes.integer("http.response_content_length", "http.response.body.size")
                .ifPresent(length -> response.set("content_length", SpanAttributes.number(length)));
        if (request.isEmpty() && response.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode http = JSON.createObjectNode();
        if (!request.isEmpty()) {
            http.set("request", request);
        }
        if (!response.isEmpty()) {
            http.set("response", response);
        }
        return Optional.of(http);
    }

    /** Takes the attributes that become annotations. */
    private static ObjectNode annotations(Span span, SpanAttributes attributes, boolean segment, String service) {
        ObjectNode annotations = JSON.createObjectNode();
        Set<String> indexed = new HashSet<>();
        attributes.take(ANNOTATIONS).filter(AnyValue::hasArrayValue).ifPresent(keys -> {
            for (AnyValue key : keys.getArrayValue().getValuesList()) {
                if (key.hasStringValue()) {
                    indexed.add(key.getStringValue());
                }
            }
        });
        for (String key : indexed) {
            attributes.take(key).flatMap(SpanAttributes::annotation).ifPresent(value -> annotations.set(key, value));
        }
        for (String key : APPLICATION_SIGNALS) {
            attributes.take(key).flatMap(SpanAttributes::annotation).ifPresent(value -> annotations.set(key, value));
        }
        if (segment) {
            annotations.put("aws.local.service", annotations.path("aws.local.service").asText(service));
            annotations.put("aws.local.operation", annotations.path("aws.local.operation").asText(span.getName()));
            annotations.put("aws.local.environment", annotations.path("aws.local.environment").asText("lambda:default"));
        }
        annotations.put("span.kind", kind(span));
        annotations.put("span.name", span.getName());
        return annotations;
    }

    /** Takes the {@code aws.*} attributes, which X-Ray writes into the aws block without their prefix. */
    private static ObjectNode aws(Span span, SpanAttributes attributes, SpanAttributes resource, ObjectNode document) {
        ObjectNode aws = JSON.createObjectNode();
        aws.put("span.kind", attributes.take(SPAN_KIND).map(value -> SpanAttributes.json(value).asText()).orElse(kind(span)));
        for (SpanAttributes source : resource == null ? List.of(attributes) : List.of(attributes, resource)) {
            for (String key : List.copyOf(source.remaining().keySet())) {
                if (key.startsWith(AWS_PREFIX) && !key.startsWith(METADATA_PREFIX)) {
                    source.take(key).ifPresent(value -> aws.set(key.substring(AWS_PREFIX.length()), SpanAttributes.json(value)));
                }
            }
        }
        if (aws.path("s3.bucket").isTextual()) {
            aws.put("bucket_name", aws.path("s3.bucket").asText());
        }
        if (resource != null) {
            for (String flag : List.of("fault", "error", "throttle")) {
                aws.put("xray." + flag, document.path(flag).asBoolean());
            }
            ObjectNode xray = aws.putObject("xray");
            String language = resource.string("telemetry.sdk.language").orElse("unknown");
            xray.put("sdk", SpanSegments.SDK_PREFIX + language);
            resource.string("telemetry.sdk.version").ifPresent(version -> xray.put("sdk_version", version));
            // The Collector's rule reads telemetry.auto.version, which agents before 2.0 set; the
            // 2.x agent names itself in telemetry.distro.name instead, which the SDK alone leaves unset.
            xray.put("auto_instrumentation", resource.get("telemetry.auto.version").isPresent()
                    || resource.get("telemetry.distro.name").isPresent());
        }
        return aws;
    }

    /** Flat: what is left of the resource's attributes and the span's, and the Collector's namespaces. */
    private static ObjectNode metadata(SpanAttributes attributes, SpanAttributes resource) {
        ObjectNode metadata = JSON.createObjectNode();
        for (Map.Entry<String, AnyValue> attribute : resource.remaining().entrySet()) {
            if (!attribute.getKey().startsWith(AWS_PREFIX)) {
                metadata.set(attribute.getKey(), SpanAttributes.json(attribute.getValue()));
            }
        }
        for (Map.Entry<String, AnyValue> attribute : attributes.remaining().entrySet()) {
            String key = attribute.getKey();
            AnyValue value = attribute.getValue();
            Optional<ObjectNode> namespace = key.startsWith(METADATA_PREFIX) && value.hasStringValue()
                    ? jsonObject(value.getStringValue()) : Optional.empty();
            if (namespace.isPresent()) {
                metadata.set(key.substring(METADATA_PREFIX.length()), namespace.get());
            } else {
                metadata.set(key, SpanAttributes.json(value));
            }
        }
        metadata.putObject("workbench").put("emulated", EMULATED);
        return metadata;
    }

    private static String kind(Span span) {
        String name = span.getKind().name().substring("SPAN_KIND_".length());
        return name.equals("UNSPECIFIED") ? "INTERNAL" : name.toUpperCase(Locale.ROOT);
    }

    private static Optional<ObjectNode> jsonObject(String text) {
        try {
            JsonNode parsed = JSON.readTree(text);
            return parsed != null && parsed.isObject() ? Optional.of((ObjectNode) parsed) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
