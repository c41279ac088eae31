package io.github.xrayworkbook.local.xray.otlp;

import static io.github.xrayworkbook.local.xray.otlp.OtlpRequests.bytes;
import static io.github.xrayworkbook.local.xray.otlp.OtlpRequests.number;
import static io.github.xrayworkbook.local.xray.otlp.OtlpRequests.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.xrayworkbook.local.schema.SegmentDocumentSchema;
import io.github.xrayworkbook.local.xray.StoredTrace;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What the local daemon and {@link StoredTrace} make of OpenTelemetry spans, held against what
 * X-Ray really stored for spans like them (the fixtures under {@code real-traces/opentelemetry/},
 * see its SOURCES.md). Each test sends the spans the fixture's source sent, with its ids, times,
 * names and attributes, and requires every key of the stored excerpt at the same place in the
 * emulated document with the same value; where the excerpt shows an object whole, the same set of
 * keys. Every emulated document also passes AWS's schema with its one exception for converted
 * spans.
 */
class SpanSegmentsShapeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SegmentDocumentSchema SCHEMA = SegmentDocumentSchema.load();
    private static final Set<String> RESOURCE_PREFIXES = Set.of("service.", "telemetry.", "cloud.", "faas.name",
            "faas.version", "faas.instance", "host.", "os.", "process.", "aws.log.");

    @Test
    void aPlainSdksServerSpanIsTheSegmentOfTheStoredPhpTrace() throws IOException {
        Fixture fixture = Fixture.read("php-lambda-server-segment.json");
        JsonNode real = fixture.document();
        Resource resource = resource(Map.of("service.name", "php-lambda-api-dev-api",
                "telemetry.sdk.name", "opentelemetry", "telemetry.sdk.language", "php",
                "telemetry.sdk.version", "1.6.0"));
        // The attributes the PHP wrapper of that pull request puts on its span.
        Span.Builder handler = span(real, "php-lambda-api-dev-api", SpanKind.SPAN_KIND_SERVER)
                .addAttributes(text("faas.trigger", "http"))
                .addAttributes(text("faas.name", "php-lambda-api-dev-api"))
                .addAttributes(text("faas.invocation_id", "0a1b2c3d-0000-4000-8000-000000000000"))
                .addAttributes(text("cloud.resource_id", "arn:aws:lambda:us-east-1:123456789012:function:php-lambda-api-dev-api"));

        JsonNode stored = storedSegment(fixture, resource, handler);

        assertSameShape(fixture, stored);
    }

    @Test
    void theJavaLayersSegmentMetadataIsFlatWithEveryAttributeAndItsType() throws IOException {
        Fixture fixture = Fixture.read("java-lambda-segment-metadata.json");
        JsonNode metadata = fixture.document().path("metadata");
        Span.Builder handler = span("1111111111111111", "8c97bf7c6f570d6f", Instant.parse("2024-12-02T22:14:32Z"),
                "aws-opentelemetry-distro-java", SpanKind.SPAN_KIND_SERVER);
        spanAttributes(metadata).forEach(handler::addAttributes);

        JsonNode stored = storedSegment(fixture, resource(metadata), handler);

        assertSameShape(fixture, stored);
    }

    @Test
    void theJavaLayersClientSubsegmentIsNestedWithItsMetadataFlatResourceIncluded() throws IOException {
        Fixture fixture = Fixture.read("java-lambda-client-subsegment-metadata.json");
        JsonNode metadata = fixture.document().path("metadata");
        Instant start = Instant.parse("2024-12-02T22:14:32Z");
        Span.Builder handler = span("1111111111111111", "8c97bf7c6f570d6f", start, "aws-opentelemetry-distro-java",
                SpanKind.SPAN_KIND_SERVER);
        Span.Builder call = span("2222222222222222", "1111111111111111", start, "GET", SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(text("server.address", "www.amazon.com"));
        spanAttributes(metadata).forEach(call::addAttributes);

        JsonNode stored = storedSegment(fixture, resource(metadata), handler, call);

        JsonNode client = stored.path("subsegments").get(0);
        assertThat(client.path("namespace").asText()).isEqualTo("remote");
        assertSameShape(fixture, client);
    }

    @Test
    void anAdotServerSpanIsNamedAfterItsServiceWithItsAwsAttributesInTheAwsBlock() throws IOException {
        Fixture fixture = Fixture.read("python-lambda-server-segment.json");
        JsonNode real = fixture.document();
        Resource resource = resource(Map.of("service.name", "snsSubscriber", "telemetry.sdk.name", "opentelemetry",
                "telemetry.sdk.language", "python", "aws.log.group.names", "/aws/lambda/snsSubscriber"));
        // ADOT's Application Signals put these on the span.
        Span.Builder handler = span(real, "lambda_function.lambda_handler", SpanKind.SPAN_KIND_SERVER)
                .addAttributes(text("aws.span.kind", "LOCAL_ROOT"))
                .addAttributes(text("aws.local.service", "snsSubscriber"))
                .addAttributes(text("aws.local.operation", "snsSubscriber/FunctionHandler"));

        JsonNode stored = storedSegment(fixture, resource, handler);

        assertSameShape(fixture, stored);
    }

    @Test
    void theLayersClientSpansAreNestedInTheHandlersSegmentAsAwsEndToEndTestRequires() throws IOException {
        Fixture fixture = Fixture.read("application-signals-lambda-expected.json");
        Resource resource = resource(Map.of("service.name", "lambda-function", "telemetry.sdk.name", "opentelemetry",
                "telemetry.sdk.language", "python", "cloud.platform", "aws_lambda", "cloud.provider", "aws"));
        Instant start = Instant.parse("2026-07-08T10:00:00Z");
        Map<String, String> local = Map.of("aws.local.service", "lambda-function",
                "aws.local.operation", "lambda-function/FunctionHandler");
        Span.Builder handler = span("1111111111111111", "8c97bf7c6f570d6f", start, "lambda_function.lambda_handler",
                SpanKind.SPAN_KIND_SERVER);
        Span.Builder http = span("2222222222222222", "1111111111111111", start.plusMillis(10), "GET",
                SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(text("http.request.method", "GET"))
                .addAttributes(text("url.full", "https://aws.amazon.com/"))
                .addAttributes(text("server.address", "aws.amazon.com"))
                .addAttributes(number("http.response.status_code", 200))
                .addAttributes(text("aws.remote.service", "aws.amazon.com"))
                .addAttributes(text("aws.remote.operation", "GET /"));
        Span.Builder s3 = span("3333333333333333", "1111111111111111", start.plusMillis(20), "S3.ListBuckets",
                SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(text("rpc.system", "aws-api"))
                .addAttributes(text("rpc.service", "S3"))
                .addAttributes(text("rpc.method", "ListBuckets"))
                .addAttributes(text("aws.remote.service", "AWS::S3"))
                .addAttributes(text("aws.remote.operation", "ListBuckets"));
        for (Span.Builder span : List.of(handler, http, s3)) {
            local.forEach((key, value) -> span.addAttributes(text(key, value)));
        }

        JsonNode stored = storedSegment(fixture, resource, handler, http, s3);

        assertSameShape(fixture, stored);
    }

    /** Converts the spans as the daemon does, stores them as X-Ray does, and checks the one document. */
    private static JsonNode storedSegment(Fixture fixture, Resource resource, Span.Builder... spans) {
        SpanSegments converted = SpanSegments.of(OtlpRequests.request(resource, spans), fixture.receivedAt(spans[0]));
        assertThat(converted.refused()).isEmpty();
        List<JsonNode> stored = StoredTrace.nest(converted.documents());
        assertThat(stored).hasSize(1);
        assertThat(SCHEMA.violations(stored.get(0))).as(stored.get(0).toPrettyString()).isEmpty();
        return stored.get(0);
    }

    /** A span with the id, parent, times and trace of the stored document. */
    private static Span.Builder span(JsonNode real, String name, SpanKind kind) {
        long start = nanos(real.path("start_time").asDouble());
        return Span.newBuilder().setName(name).setKind(kind)
                .setTraceId(bytes(real.path("trace_id").asText().substring(2).replace("-", "")))
                .setSpanId(bytes(real.path("id").asText()))
                .setParentSpanId(bytes(real.path("parent_id").asText()))
                .setStartTimeUnixNano(start)
                .setEndTimeUnixNano(nanos(real.path("end_time").asDouble()));
    }

    private static Span.Builder span(String id, String parent, Instant start, String name, SpanKind kind) {
        long nanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
        return Span.newBuilder().setName(name).setKind(kind)
                .setTraceId(bytes("%08x".formatted(start.getEpochSecond()) + "74c046ef65fb600f267ea1af"))
                .setSpanId(bytes(id)).setParentSpanId(bytes(parent))
                .setStartTimeUnixNano(nanos).setEndTimeUnixNano(nanos + 100_000_000L);
    }

    private static long nanos(double seconds) {
        long whole = (long) seconds;
        return whole * 1_000_000_000L + Math.round((seconds - whole) * 1e9);
    }

    private static Resource resource(Map<String, String> attributes) {
        Resource.Builder resource = Resource.newBuilder();
        attributes.forEach((key, value) -> resource.addAttributes(text(key, value)));
        return resource.build();
    }

    /** The resource's share of a stored metadata object, as attributes. */
    private static Resource resource(JsonNode metadata) {
        Resource.Builder resource = Resource.newBuilder();
        metadata.fields().forEachRemaining(field -> {
            if (isResource(field.getKey())) {
                resource.addAttributes(attribute(field.getKey(), field.getValue()));
            }
        });
        return resource.build();
    }

    /** The span's share of a stored metadata object, as attributes. */
    private static List<KeyValue> spanAttributes(JsonNode metadata) {
        List<KeyValue> attributes = new ArrayList<>();
        metadata.fields().forEachRemaining(field -> {
            if (!isResource(field.getKey())) {
                attributes.add(attribute(field.getKey(), field.getValue()));
            }
        });
        return attributes;
    }

    private static boolean isResource(String key) {
        return RESOURCE_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static KeyValue attribute(String key, JsonNode value) {
        AnyValue.Builder any = AnyValue.newBuilder();
        if (value.isIntegralNumber()) {
            any.setIntValue(value.asLong());
        } else if (value.isNumber()) {
            any.setDoubleValue(value.asDouble());
        } else if (value.isBoolean()) {
            any.setBoolValue(value.asBoolean());
        } else if (value.isArray()) {
            ArrayValue.Builder array = ArrayValue.newBuilder();
            value.forEach(item -> array.addValues(AnyValue.newBuilder().setStringValue(item.asText())));
            any.setArrayValue(array);
        } else {
            any.setStringValue(value.asText());
        }
        return KeyValue.newBuilder().setKey(key).setValue(any).build();
    }

    /**
     * Every key of the stored excerpt is in the emulated document at the same place, with an equal
     * value (numbers to the microsecond); objects the excerpt shows whole have the same keys.
     * Subsegments are matched by name.
     */
    private static void assertSameShape(Fixture fixture, JsonNode emulated) {
        List<String> differences = new ArrayList<>();
        compare("", fixture.document(), emulated, fixture.complete(), differences);
        assertThat(differences).as(emulated.toPrettyString()).isEmpty();
    }

    private static void compare(String pointer, JsonNode real, JsonNode emulated, Set<String> complete,
                                List<String> differences) {
        if (real.isObject()) {
            if (!emulated.isObject()) {
                differences.add(pointer + ": an object in the stored document, " + emulated.getNodeType() + " here");
                return;
            }
            if (complete.contains(pointer) && !keys(real).equals(keys(emulated))) {
                differences.add(pointer + ": keys " + keys(emulated) + ", stored " + keys(real));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = real.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = pointer + "/" + field.getKey();
                if (!emulated.has(field.getKey())) {
                    differences.add(child + ": missing");
                } else {
                    compare(child, field.getValue(), emulated.get(field.getKey()), complete, differences);
                }
            }
        } else if (real.isArray() && pointer.endsWith("/subsegments")) {
            List<String> names = new ArrayList<>();
            emulated.forEach(child -> names.add(child.path("name").asText()));
            List<String> realNames = new ArrayList<>();
            real.forEach(child -> realNames.add(child.path("name").asText()));
            if (complete.contains(pointer) && !names.equals(realNames)) {
                differences.add(pointer + ": " + names + ", stored " + realNames);
            }
            for (JsonNode child : real) {
                String name = child.path("name").asText();
                int index = names.indexOf(name);
                if (index < 0) {
                    differences.add(pointer + ": no subsegment " + name);
                } else {
                    compare(pointer + "/" + index, child, emulated.get(index), complete, differences);
                }
            }
        } else if (real.isNumber() && emulated.isNumber()) {
            if (Math.abs(real.asDouble() - emulated.asDouble()) > 1e-6 || real.isIntegralNumber() != emulated.isIntegralNumber()) {
                differences.add(pointer + ": " + emulated + ", stored " + real);
            }
        } else if (!real.equals(emulated)) {
            differences.add(pointer + ": " + emulated + ", stored " + real);
        }
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** A fixture: the stored excerpt and the pointers of the objects it shows whole. */
    private record Fixture(JsonNode document, Set<String> complete) {

        static Fixture read(String name) throws IOException {
            try (InputStream in = SpanSegmentsShapeTest.class.getResourceAsStream("/real-traces/opentelemetry/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("No fixture " + name);
                }
                JsonNode fixture = JSON.readTree(in);
                Set<String> complete = new TreeSet<>();
                fixture.path("complete").forEach(pointer -> complete.add(pointer.asText()));
                return new Fixture(fixture.path("document"), complete);
            }
        }

        /** When X-Ray received the span: just after it ended, for the trace id's age check. */
        Instant receivedAt(Span.Builder span) {
            long end = span.getEndTimeUnixNano();
            return Instant.ofEpochSecond(end / 1_000_000_000L, end % 1_000_000_000L).plusSeconds(1);
        }
    }
}
