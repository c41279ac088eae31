package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.xrayworkbook.local.schema.SegmentDocumentSchema;
import io.github.xrayworkbook.workbench.trace.Emulated;
import io.github.xrayworkbook.workbench.trace.LambdaSegments;
import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import io.github.xrayworkbook.workbench.view.ServiceMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step 6 end to end through the real runtime client in SnapStart mode: its hooks run around the
 * workbench's {@code restore/next}, and the trace has {@code Restore} where other steps have
 * {@code Init}. Also the same package without SnapStart, and primed in its constructor. The views
 * these runs produce are kept for the book. The runs of step 6 as it is deployed, once with one
 * invocation and once with two, are {@link SharedRuns}.
 */
class SnapStartIT {

    private static final SegmentDocumentSchema SCHEMA = SegmentDocumentSchema.load();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONSTRUCTOR_PRIMED = "io.github.xrayworkbook.step6.ConstructorPrimedHandler::handleRequest";

    @TempDir
    Path out;

    @Test
    void stepSixRestoresInsteadOfInitAndReadsS3ThroughTheXRaySdk() throws IOException {
        LocalRunResult run = SharedRuns.of("step-6");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).isEmpty();
        assertThat(response(run)).isEqualTo(JSON.readTree("{\"statusCode\": 200, \"body\": \"Hello from S3!\"}"));
        long checkpoint = millis(run, "Checkpoint \\(at publish time in AWS\\)");
        long restore = millis(run, "Restore");
        long handler = millis(run, "First invocation handler");
        assertThat(checkpoint).isPositive();
        assertThat(run.stdout()).contains("SnapStart: the runtime client called GET /2018-06-01/runtime/restore/next")
                .doesNotContainPattern("(?m)^Init: ");
        // Lambda's cold start with SnapStart is the restore plus the invocation; the checkpoint is not in it.
        assertThat(millis(run, "1 invocation\\(s\\), 0 failed; cold start")).isBetween(restore + handler - 1, restore + handler + 1);

        Trace trace = single(run);
        trace.documents().forEach(document -> assertThat(SCHEMA.violations(document)).as(document.toString()).isEmpty());
        Span service = trace.roots().get(0);
        assertThat(service.origin()).isEqualTo("AWS::Lambda");
        Span function = service.children().get(0);
        assertThat(function.origin()).isEqualTo("AWS::Lambda::Function");
        assertThat(function.children()).extracting(Span::name).containsExactly("Restore", "S3", "Overhead");

        Span restored = function.children().get(0);
        assertThat(restored.start()).isEqualTo(function.start());
        assertThat(restored.duration() * 1000).isCloseTo(restore, org.assertj.core.data.Offset.offset(1.0));
        assertThat(restored.emulated()).isTrue();
        assertThat(restored.metadata().path(Emulated.NAMESPACE).path("restore").asText()).isEqualTo(LambdaSegments.RESTORE_NOTE);
        assertThat(trace.start()).isEqualTo(restored.start());

        Span call = function.children().get(1);
        assertThat(call.emulated()).isFalse();
        assertThat(call.start()).isGreaterThanOrEqualTo(restored.end());
        JsonNode s3 = call.document();
        assertThat(s3.path("namespace").asText()).isEqualTo("aws");
        assertThat(s3.path("aws").path("operation").asText()).isEqualTo("GetObject");
        assertThat(s3.path("aws").path("bucket_name").asText()).isEqualTo("xray-workbook-local");
        assertThat(s3.path("aws").path("key").asText()).isEqualTo("sample_data.json");
        assertThat(s3.path("http").path("response").path("status").asInt()).isEqualTo(200);
        assertThat(call.children()).filteredOn(Span::inferred).singleElement()
                .satisfies(bucket -> assertThat(bucket.origin()).isEqualTo("AWS::S3::Bucket"));
        assertThat(function.annotations().path("aws:responseLatency").asDouble()).isCloseTo(handler,
                org.assertj.core.data.Offset.offset(1.0));
        BookViews.keep("step-6", trace);
    }

    @Test
    void beforeCheckpointRunsBeforeRestoreNextAndAfterRestoreAfterItsAnswer() throws IOException {
        LocalRunResult run = SharedRuns.of("step-6");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        // The hooks print as the function runs them; the workbench writes its lines into the same log
        // when restore/next arrives and just before it answers it.
        List<String> log = Files.readAllLines(run.out().resolve("function/function.log"));
        int primed = indexOf(log, "beforeCheckpoint: primed the S3 read in ");
        int restoreNext = indexOf(log, "[workbench] GET restore/next after ");
        int answered = indexOf(log, "[workbench] restore/next answered");
        int afterRestore = indexOf(log, "afterRestore: keeping the primed S3 client");
        assertThat(primed).as(String.join("\n", log)).isGreaterThanOrEqualTo(0);
        assertThat(restoreNext).isGreaterThan(primed);
        assertThat(answered).isGreaterThan(restoreNext);
        assertThat(afterRestore).isGreaterThan(answered);
        assertThat(log).filteredOn(line -> line.startsWith("beforeCheckpoint:") || line.startsWith("afterRestore:")).hasSize(2);
        assertThat(log.get(restoreNext)).contains("after " + millis(run, "Checkpoint \\(at publish time in AWS\\)") + " ms");
    }

    @Test
    void aWarmInvocationHasNeitherRestoreNorInitAndTheLegacyFormatRestoresToo() throws IOException {
        LocalRunResult warm = SharedRuns.of(SharedRuns.coldThenWarm("step-6"));
        LocalRunResult legacy = LocalRunResult.run(out.resolve("legacy"), "step-6", "--lambda-format", "legacy");

        assertThat(warm.exitCode()).as(warm.stderr()).isZero();
        assertThat(warm.traces()).hasSize(2);
        assertThat(function(warm.traces().get(0)).children()).extracting(Span::name).containsExactly("Restore", "S3", "Overhead");
        assertThat(function(warm.traces().get(1)).children()).extracting(Span::name).containsExactly("S3", "Overhead");

        assertThat(legacy.exitCode()).as(legacy.stderr()).isZero();
        Trace trace = single(legacy);
        trace.documents().forEach(document -> assertThat(SCHEMA.violations(document)).as(document.toString()).isEmpty());
        Span function = function(trace);
        assertThat(function.children()).extracting(Span::name).containsExactly("Restore", "Invocation", "Overhead");
        assertThat(function.children().get(1).children()).extracting(Span::name).containsExactly("S3");
        BookViews.keep("step-6-legacy", trace);
    }

    @Test
    void withoutSnapStartTheHooksNeverRunAndInitIsBack() throws IOException {
        LocalRunResult run = LocalRunResult.run(out, "step-6", "--no-snapstart");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).doesNotContain("Checkpoint").doesNotContainPattern("(?m)^Restore: ");
        assertThat(millis(run, "Init")).isPositive();
        assertThat(function(single(run)).children()).extracting(Span::name).containsExactly("Init", "S3", "Overhead");
        String log = Files.readString(out.resolve("function/function.log"));
        assertThat(log).doesNotContain("beforeCheckpoint").doesNotContain("afterRestore").doesNotContain("restore/next");
    }

    @Test
    void primingInTheConstructorMovesTheFirstReadIntoInit() throws IOException {
        LocalRunResult run = LocalRunResult.run(out, "step-6", "--no-snapstart", "--handler", CONSTRUCTOR_PRIMED);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(response(run)).isEqualTo(JSON.readTree("{\"statusCode\": 200, \"body\": \"Hello from S3!\"}"));
        Trace trace = single(run);
        trace.documents().forEach(document -> assertThat(SCHEMA.violations(document)).as(document.toString()).isEmpty());
        Span function = function(trace);
        // The priming read sent nothing: the only S3 subsegment is the invocation's.
        assertThat(function.children()).extracting(Span::name).containsExactly("Init", "S3", "Overhead");
        assertThat(function.children().get(1).start()).isGreaterThanOrEqualTo(function.children().get(0).end());
        assertThat(Files.readString(out.resolve("function/function.log"))).containsPattern("constructor: primed the S3 read in \\d+ ms");
        BookViews.keep("step-6-constructor", trace);
    }

    private static int indexOf(List<String> log, String prefix) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** The whole milliseconds printed on the line "NAME: N ms" (or "NAME N ms"). */
    static long millis(LocalRunResult run, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + ":? (\\d+) ms").matcher(run.stdout());
        assertThat(matcher.find()).as(name + " in:\n" + run.stdout()).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static JsonNode response(LocalRunResult run) throws IOException {
        String line = run.stdout().lines().filter(l -> l.startsWith("Response: ")).findFirst().orElseThrow();
        return JSON.readTree(line.substring("Response: ".length()));
    }

    private static Span function(Trace trace) {
        assertThat(trace.roots()).hasSize(1);
        return trace.roots().get(0).children().get(0);
    }

    private static Trace single(LocalRunResult run) {
        assertThat(run.traces()).hasSize(1);
        return run.traces().get(0);
    }

}
