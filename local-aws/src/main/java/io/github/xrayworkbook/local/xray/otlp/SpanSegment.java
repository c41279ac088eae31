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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One OpenTelemetry span as the X-Ray segment document X-Ray makes of it. The public reference
 * for X-Ray's mapping is the OpenTelemetry Collector's awsxray exporter
 * (exporter/awsxrayexporter/internal/translator/segment.go, aws.go, http.go and cause.go, in
 * github.com/open-telemetry/opentelemetry-collector-contrib); this follows it for what the
 * workbook's functions send:
 *
 * <ul>
 *   <li>a SERVER span, or a span without a parent, is a segment; any other span an independent
 *       subsegment ({@code "type": "subsegment"}) whose parent is its parent span;</li>
 *   <li>the trace id keeps its 128 bits: {@code 1-} the first 32 as 8 hex digits (X-Ray trace
 *       ids start with the trace's epoch second, so spans whose trace id is outside X-Ray's
 *       window are refused), {@code -} the other 96 as 24;</li>
 *   <li>a span with {@code rpc.system = aws-api} is an AWS call: namespace {@code aws}, named
 *       after {@code rpc.service} (e.g. {@code S3}), {@code aws.operation} from
 *       {@code rpc.method}, its request id and region; other CLIENT spans are {@code remote};</li>
 *   <li>attributes named in {@code aws.xray.annotations} are annotations; an attribute
 *       {@code aws.xray.metadata.NAMESPACE} holding a JSON object is that metadata namespace;
 *       everything else, and for a segment the resource's attributes as {@code otel.resource.*},
 *       is metadata in {@code default};</li>
 *   <li>times are epoch seconds.</li>
 * </ul>
 *
 * Each document is marked the way the workbench marks what it writes in AWS's place: a
 * {@code workbench} metadata namespace holding {@code emulated}. Unlike the collector, flags that
 * are false are left out, as the X-Ray SDK leaves them out.
 */
final class SpanSegment {

    static final String EMULATED = "Written by the workbench in place of X-Ray's conversion of an OpenTelemetry span";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final String ANNOTATIONS = "aws.xray.annotations";
    private static final String METADATA_PREFIX = "aws.xray.metadata.";
    private static final String DEFAULT_NAMESPACE = "default";
    private static final Pattern NOT_IN_SEGMENT_NAMES = Pattern.compile("[^\\p{L}\\p{N} _.:/%&#=+\\-@]");
    private static final Pattern NOT_IN_ANNOTATION_KEYS = Pattern.compile("[^A-Za-z0-9_]");
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

        ObjectNode document = JSON.createObjectNode();
        document.put("name", name(span, attributes, resourceAttributes, awsCall));
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
        boolean java = resourceAttributes.string("telemetry.sdk.language").filter("java"::equals).isPresent();
        SpanCause.write(span, attributes, java, document);
        http(attributes).ifPresent(http -> document.set("http", http));
        aws(attributes, resourceAttributes).ifPresent(aws -> document.set("aws", aws));
        attributes.takeText("enduser.id").ifPresent(user -> document.put("user", user));
        annotationsAndMetadata(attributes, segment ? resourceAttributes : null, document);
        return document;
    }

    /** X-Ray names segments after services, not operations: the first of these that is set. */
    private static String name(Span span, SpanAttributes attributes, SpanAttributes resource, boolean awsCall) {
        SpanKind kind = span.getKind();
        Optional<String> name = Optional.empty();
        if (kind == SpanKind.SPAN_KIND_SERVER) {
            name = attributes.string("aws.local.service");
        }
        if (kind == SpanKind.SPAN_KIND_CLIENT || kind == SpanKind.SPAN_KIND_PRODUCER
                || kind == SpanKind.SPAN_KIND_CONSUMER) {
            name = name.or(() -> attributes.string("aws.remote.service")
                    .map(service -> awsCall ? service.replaceFirst("^(AWS\\.SDK\\.|AWS::)", "") : service));
        }
        name = name.or(() -> attributes.string("peer.service"))
                .or(() -> attributes.string("aws.service"));
        if (kind == SpanKind.SPAN_KIND_SERVER) {
            name = name.or(() -> resource.string("service.name"));
        }
        return name.or(() -> attributes.string("rpc.service", "http.host", "net.peer.name"))
                .map(SpanSegment::segmentName)
                .orElseGet(() -> segmentName(span.getName()));
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

    private static Optional<ObjectNode> http(SpanAttributes attributes) {
        ObjectNode request = JSON.createObjectNode();
        attributes.takeText("http.method", "http.request.method").ifPresent(method -> request.put("method", method));
        attributes.takeText("http.url", "url.full").ifPresent(url -> request.put("url", url));
        attributes.takeText("http.client_ip", "client.address").ifPresent(ip -> request.put("client_ip", ip));
        attributes.takeText("http.user_agent", "user_agent.original").ifPresent(agent -> request.put("user_agent", agent));
        ObjectNode response = JSON.createObjectNode();
        attributes.takeInteger("http.status_code", "http.response.status_code")
                .ifPresent(status -> response.put("status", status));
        attributes.takeInteger("http.response_content_length", "http.response.body.size")
                .ifPresent(length -> response.put("content_length", length));
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

    private static Optional<ObjectNode> aws(SpanAttributes attributes, SpanAttributes resource) {
        ObjectNode aws = JSON.createObjectNode();
        Optional<String> operation = attributes.takeText("aws.operation", "rpc.method");
        Optional<String> account = attributes.takeText("aws.account_id").or(() -> resource.string("cloud.account.id"));
        Optional<String> region = attributes.takeText("aws.region");
        Optional<String> requestId = attributes.takeText("aws.request_id", "aws.requestId");
        Optional<String> queueUrl = attributes.takeText("aws.queue_url", "aws.queue.url");
        Optional<String> tableName = attributes.takeText("aws.table_name", "aws.table.name");
        if (resource.string("cloud.provider").filter(provider -> !provider.equals("aws")).isPresent()) {
            return Optional.empty();
        }
        account.ifPresent(value -> aws.put("account_id", value));
        operation.ifPresent(value -> aws.put("operation", value));
        region.ifPresent(value -> aws.put("region", value));
        requestId.ifPresent(value -> aws.put("request_id", value));
        queueUrl.ifPresent(value -> aws.put("queue_url", value));
        tableName.ifPresent(value -> aws.put("table_name", value));
        Optional<String> sdkName = resource.string("telemetry.sdk.name");
        Optional<String> language = resource.string("telemetry.sdk.language");
        ObjectNode xray = aws.putObject("xray");
        sdkName.ifPresent(sdk -> xray.put("sdk", language.map(lang -> sdk + " for " + lang).orElse(sdk)));
        resource.string("telemetry.sdk.version").ifPresent(version -> xray.put("sdk_version", version));
        xray.put("auto_instrumentation", resource.get("telemetry.auto.version").isPresent());
        return Optional.of(aws);
    }

    private static void annotationsAndMetadata(SpanAttributes attributes, SpanAttributes resource, ObjectNode document) {
        Set<String> indexed = new HashSet<>();
        attributes.take(ANNOTATIONS).filter(AnyValue::hasArrayValue).ifPresent(keys -> {
            for (AnyValue key : keys.getArrayValue().getValuesList()) {
                if (key.hasStringValue()) {
                    indexed.add(key.getStringValue());
                }
            }
        });
        ObjectNode annotations = JSON.createObjectNode();
        ObjectNode metadata = JSON.createObjectNode();
        ObjectNode defaultNamespace = JSON.createObjectNode();
        if (resource != null) {
            for (Map.Entry<String, AnyValue> attribute : resource.remaining().entrySet()) {
                defaultNamespace.set("otel.resource." + attribute.getKey(), SpanAttributes.json(attribute.getValue()));
            }
        }
        for (Map.Entry<String, AnyValue> attribute : attributes.remaining().entrySet()) {
            String key = attribute.getKey();
            AnyValue value = attribute.getValue();
            if (indexed.contains(key)) {
                SpanAttributes.annotation(value).ifPresent(annotation ->
                        annotations.set(NOT_IN_ANNOTATION_KEYS.matcher(key).replaceAll("_"), annotation));
            } else if (key.startsWith(METADATA_PREFIX) && value.hasStringValue()) {
                String namespace = key.substring(METADATA_PREFIX.length());
                Optional<ObjectNode> object = jsonObject(value.getStringValue());
                if (object.isEmpty()) {
                    defaultNamespace.put(key, value.getStringValue());
                } else if (namespace.equalsIgnoreCase(DEFAULT_NAMESPACE)) {
                    defaultNamespace.setAll(object.get());
                } else {
                    metadata.set(namespace, object.get());
                }
            } else {
                defaultNamespace.set(key, SpanAttributes.json(value));
            }
        }
        if (!defaultNamespace.isEmpty()) {
            metadata.set(DEFAULT_NAMESPACE, defaultNamespace);
        }
        metadata.putObject("workbench").put("emulated", EMULATED);
        if (!annotations.isEmpty()) {
            document.set("annotations", annotations);
        }
        document.set("metadata", metadata);
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
