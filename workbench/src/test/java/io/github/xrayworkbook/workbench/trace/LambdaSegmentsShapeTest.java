package io.github.xrayworkbook.workbench.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.xrayworkbook.local.schema.SegmentDocumentSchema;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.TraceHeader;
import io.github.xrayworkbook.workbench.runtime.FunctionConfig;
import io.github.xrayworkbook.workbench.runtime.Invocation;
import io.github.xrayworkbook.workbench.runtime.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The documents the workbench emulates, held against documents X-Ray really stored (the fixtures
 * under {@code real-traces/}, see its SOURCES.md): the same keys at every level that matters, and
 * the same field shapes, so that drift from what the console shows is caught here.
 */
class LambdaSegmentsShapeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SegmentDocumentSchema SCHEMA = SegmentDocumentSchema.load();
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private static final FunctionConfig FUNCTION = new FunctionConfig("xray-workbook-step-2",
            "io.github.xrayworkbook.step2.S3MessageHandler::handleRequest", Path.of("step-2.jar"), "eu-west-1", 512,
            Duration.ofSeconds(15), Map.of());

    @Test
    void theCurrentStructureHasTheKeysOfAStoredTrace() throws IOException {
        List<JsonNode> real = documents("current-structure-warm.json");
        Trace emulated = assemble(LambdaFormat.CURRENT, false);

        JsonNode service = origin(emulated.documents(), "AWS::Lambda");
        JsonNode function = origin(emulated.documents(), "AWS::Lambda::Function");
        assertThat(keys(service)).isEqualTo(keys(origin(real, "AWS::Lambda")));
        assertThat(keys(function)).isEqualTo(keys(origin(real, "AWS::Lambda::Function")));
        assertThat(keys(function.path("aws"))).isEqualTo(keys(origin(real, "AWS::Lambda::Function").path("aws")));
        assertThat(keys(function.path("annotations")))
                .isEqualTo(keys(origin(real, "AWS::Lambda::Function").path("annotations")))
                .isEqualTo(new TreeSet<>(SegmentDocumentSchema.LAMBDA_SERVICE_ANNOTATIONS));
        function.path("annotations").forEach(value -> assertThat(value.isNumber()).isTrue());
        JsonNode overhead = subsegment(function, "Overhead");
        assertThat(keys(overhead)).isEqualTo(keys(subsegment(origin(real, "AWS::Lambda::Function"), "Overhead")));
        assertThat(subsegmentNames(function)).containsExactly("S3", "Overhead");
        emulated.documents().forEach(document -> assertThat(SCHEMA.violations(document)).isEmpty());
    }

    @Test
    void aColdStartAddsInitFirstAndNothingElse() {
        Trace emulated = assemble(LambdaFormat.CURRENT, true);

        JsonNode function = origin(emulated.documents(), "AWS::Lambda::Function");
        assertThat(subsegmentNames(function)).containsExactly("Init", "S3", "Overhead");
        assertThat(keys(subsegment(function, "Init"))).isEqualTo(keys(subsegment(function, "Overhead")));
        assertThat(subsegment(function, "Init").path("start_time").asDouble()).isEqualTo(function.path("start_time").asDouble());
    }

    /**
     * No stored SnapStart trace was found published, so Restore is held against Init (and
     * Initialization in the legacy structure), the subsegments AWS says it replaces.
     */
    @Test
    void aSnapStartRestoreTakesInitsPlaceWithInitsKeys() {
        JsonNode cold = origin(assemble(LambdaFormat.CURRENT, true).documents(), "AWS::Lambda::Function");
        JsonNode restored = origin(assembleRestored(LambdaFormat.CURRENT).documents(), "AWS::Lambda::Function");

        assertThat(subsegmentNames(restored)).containsExactly("Restore", "S3", "Overhead");
        assertThat(keys(subsegment(restored, "Restore"))).isEqualTo(keys(subsegment(cold, "Init")));
        assertThat(keys(restored)).isEqualTo(keys(cold));
        assertThat(subsegment(restored, "Restore").path("start_time").asDouble())
                .isEqualTo(restored.path("start_time").asDouble());
        assertThat(subsegment(restored, "Restore").path("metadata").path(Emulated.NAMESPACE).path("restore").asText())
                .isEqualTo(LambdaSegments.RESTORE_NOTE);
        assertThat(Emulated.isLabelled(subsegment(restored, "Restore"))).isTrue();

        JsonNode legacyCold = origin(assemble(LambdaFormat.LEGACY, true).documents(), "AWS::Lambda::Function");
        JsonNode legacy = origin(assembleRestored(LambdaFormat.LEGACY).documents(), "AWS::Lambda::Function");
        assertThat(subsegmentNames(legacy)).containsExactly("Restore", "Invocation", "Overhead");
        assertThat(keys(subsegment(legacy, "Restore"))).isEqualTo(keys(subsegment(legacyCold, "Initialization")));
        assertThat(subsegment(legacy, "Restore").path("aws").path("function_arn").asText()).isEqualTo(FUNCTION.arn());
        for (LambdaFormat format : LambdaFormat.values()) {
            assembleRestored(format).documents().forEach(document -> assertThat(SCHEMA.violations(document)).isEmpty());
        }
    }

    @Test
    void theLegacyStructureHasTheKeysOfAStoredTrace() throws IOException {
        List<JsonNode> real = documents("legacy-structure-cold-inferred-dynamodb.json");
        JsonNode realFunction = real.stream().filter(d -> d.path("origin").asText().equals("AWS::Lambda::Function")
                && d.path("subsegments").size() == 3).findFirst().orElseThrow();
        Trace emulated = assemble(LambdaFormat.LEGACY, true);

        JsonNode function = origin(emulated.documents(), "AWS::Lambda::Function");
        assertThat(keys(function)).isEqualTo(keys(realFunction));
        assertThat(keys(function.path("aws"))).isEqualTo(keys(realFunction.path("aws")));
        assertThat(function.path("aws").path("resource_names").isArray()).isTrue();
        assertThat(subsegmentNames(function)).containsExactlyInAnyOrderElementsOf(subsegmentNames(realFunction));
        for (String name : List.of("Initialization", "Invocation", "Overhead")) {
            assertThat(keys(subsegment(function, name))).as(name).isEqualTo(keys(subsegment(realFunction, name)));
            assertThat(keys(subsegment(function, name).path("aws"))).isEqualTo(Set.of("function_arn"));
        }
        assertThat(subsegmentNames(subsegment(function, "Invocation"))).containsExactly("S3");
        emulated.documents().forEach(document -> assertThat(SCHEMA.violations(document)).isEmpty());
    }

    @Test
    void theInferredS3SegmentHasTheKeysOfAStoredOne() throws IOException {
        List<JsonNode> real = documents("inferred-s3-bucket.json");
        JsonNode realInferred = origin(real, "AWS::S3::Bucket");
        Trace emulated = assemble(LambdaFormat.CURRENT, false);

        JsonNode inferred = origin(emulated.documents(), "AWS::S3::Bucket");
        assertThat(keys(inferred)).isEqualTo(keys(realInferred));
        assertThat(inferred.path("inferred").asBoolean()).isTrue();
        assertThat(inferred.path("aws").path("resource_names")).isEqualTo(JSON.readTree("[\"xray-workbook-local\"]"));
        JsonNode call = subsegment(origin(emulated.documents(), "AWS::Lambda::Function"), "S3");
        assertThat(inferred.path("parent_id").asText()).isEqualTo(call.path("id").asText());
        // X-Ray names the resource on the call as well.
        assertThat(call.path("aws").path("resource_names")).isEqualTo(inferred.path("aws").path("resource_names"));
        JsonNode realCall = real.get(0).path("subsegments").get(0);
        assertThat(realCall.path("aws").path("resource_names").isArray()).isTrue();
        assertThat(SCHEMA.violations(inferred)).isEmpty();
    }

    /** A run of step 2 as the workbench would record it, with one S3 call from the SDK. */
    private static Trace assemble(LambdaFormat format, boolean cold) {
        Instant dispatched = T0.plusMillis(cold ? 900 : 5);
        Optional<Invocation.Phase> init = cold
                ? Optional.of(new Invocation.Phase(T0.plusMillis(2), T0.plusMillis(890))) : Optional.empty();
        return assemble(format, init, Optional.empty(), dispatched);
    }

    /** The same under SnapStart: a checkpoint long before, then a restore when the request came. */
    private static Trace assembleRestored(LambdaFormat format) {
        Invocation.SnapStart phases = new Invocation.SnapStart(
                new Invocation.Phase(T0.minusSeconds(3600), T0.minusSeconds(3598)),
                Optional.of(new Invocation.Phase(T0.plusMillis(2), T0.plusMillis(40))));
        return assemble(format, Optional.empty(), Optional.of(phases), T0.plusMillis(45));
    }

    private static Trace assemble(LambdaFormat format, Optional<Invocation.Phase> init,
                                  Optional<Invocation.SnapStart> snapStart, Instant dispatched) {
        TraceHeader header = new TraceHeader(TraceHeader.newTraceId(T0), TraceHeader.newEntityId(), true);
        Outcome answer = new Outcome.Response("{\"statusCode\":200}", dispatched.plusMillis(120));
        Invocation invocation = new Invocation("c56ad904-2260-4f8f-8609-28ffd70e380f", header, T0, init, snapStart,
                dispatched, answer, Duration.ofNanos(80_000), answer.at().plusMillis(3));
        String call = """
                {"type":"subsegment","id":"132ef40fc83e4af1","name":"S3","start_time":%s,"end_time":%s,
                 "trace_id":"%s","parent_id":"%s","namespace":"aws",
                 "http":{"response":{"status":200,"content_length":29}},
                 "aws":{"operation":"GetObject","region":"eu-west-1","request_id":"7E46279778FCCCE5",
                        "retries":0,"bucket_name":"xray-workbook-local","key":"sample_data.json"}}
                """.formatted(seconds(dispatched.plusMillis(10)), seconds(dispatched.plusMillis(100)),
                header.root(), header.parent());
        try {
            return LambdaSegments.assemble(format, FUNCTION, invocation, List.of(new SegmentDocument(JSON.readTree(call), call)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> documents(String fixture) throws IOException {
        try (InputStream in = LambdaSegmentsShapeTest.class.getResourceAsStream("/real-traces/" + fixture)) {
            List<JsonNode> documents = new ArrayList<>();
            for (JsonNode segment : JSON.readTree(in).path("Traces").get(0).path("Segments")) {
                documents.add(JSON.readTree(segment.path("Document").asText()));
            }
            return documents;
        }
    }

    private static JsonNode origin(List<JsonNode> documents, String origin) {
        return documents.stream().filter(d -> d.path("origin").asText().equals(origin)).findFirst().orElseThrow();
    }

    private static JsonNode subsegment(JsonNode parent, String name) {
        for (JsonNode child : parent.path("subsegments")) {
            if (child.path("name").asText().equals(name)) {
                return child;
            }
        }
        throw new AssertionError(parent.path("name").asText() + " has no subsegment " + name);
    }

    private static List<String> subsegmentNames(JsonNode parent) {
        List<String> names = new ArrayList<>();
        parent.path("subsegments").forEach(child -> names.add(child.path("name").asText()));
        return names;
    }

    /** The keys of an object, less the workbench's own label. */
    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        if (Emulated.isLabelled(node) && node.path("metadata").size() == 1) {
            keys.remove("metadata");
        }
        return keys;
    }

    private static String seconds(Instant instant) {
        return String.valueOf(instant.getEpochSecond() + instant.getNano() / 1e9);
    }
}
