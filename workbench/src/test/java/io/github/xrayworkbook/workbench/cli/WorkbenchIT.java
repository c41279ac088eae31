package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.xrayworkbook.local.schema.SegmentDocumentSchema;
import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import io.github.xrayworkbook.workbench.trace.TraceFiles;
import io.github.xrayworkbook.workbench.view.MapSvg;
import io.github.xrayworkbook.workbench.view.ServiceMap;
import io.github.xrayworkbook.workbench.view.TimelineSvg;
import io.github.xrayworkbook.workbench.view.TimelineView;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each step's deployment package, run end to end through the real Lambda runtime interface client,
 * and its whole trace asserted. The views these runs produce are kept for the book.
 */
class WorkbenchIT {

    private static final Path ROOT = Path.of(System.getProperty("workbook.root"));
    private static final Path VIEWS = Path.of(System.getProperty("workbench.views"));
    private static final SegmentDocumentSchema SCHEMA = SegmentDocumentSchema.load();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    record Run(int exitCode, String stdout, String stderr, List<Trace> traces) {
    }

    private Run run(String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        List<String> full = new java.util.ArrayList<>(List.of("run"));
        full.addAll(List.of(args));
        full.addAll(List.of("--root", ROOT.toString(), "--out", out.toString(), "--color", "never"));
        int exit = WorkbenchCommand.execute(full.toArray(String[]::new), new PrintWriter(stdout, true), new PrintWriter(stderr, true));
        List<Trace> traces = Files.exists(out.resolve("trace.json")) ? TraceFiles.read(out.resolve("trace.json")) : List.of();
        return new Run(exit, stdout.toString(), stderr.toString(), traces);
    }

    @Test
    void stepOneIsTracedByLambdaAlone() throws IOException {
        Run run = run("step-1");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(response(run)).isEqualTo(JSON.readTree("{\"statusCode\": 200, \"body\": \"Hello from Lambda!\"}"));
        Trace trace = single(run);
        Span function = assertLambdaSegments(trace, "xray-workbook-step-1", true);
        assertThat(child(function, "Invocation").children()).isEmpty();
        assertThat(new ServiceMap(trace).renderText()).isEqualTo("""
                Client -> xray-workbook-step-1 (AWS::Lambda)  1 call  OK
                xray-workbook-step-1 (AWS::Lambda) -> xray-workbook-step-1 (AWS::Lambda::Function)  1 call  OK
                """);
        keepViews("step-1", trace);
    }

    @Test
    void stepTwoAddsTheS3CallUnderInvocationAndAWarmStartHasNoInitialization() throws IOException {
        Run run = run("step-2", "--invocations", "2");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(response(run)).isEqualTo(JSON.readTree("{\"statusCode\": 200, \"body\": \"Hello from S3!\"}"));
        assertThat(run.traces()).hasSize(2);
        Trace cold = run.traces().get(0);
        Span function = assertLambdaSegments(cold, "xray-workbook-step-2", true);
        List<Span> calls = child(function, "Invocation").children();
        assertThat(calls).extracting(Span::name).containsExactly("S3");
        JsonNode s3 = calls.get(0).document();
        assertThat(s3.path("namespace").asText()).isEqualTo("aws");
        assertThat(s3.path("aws").path("operation").asText()).isEqualTo("GetObject");
        assertThat(s3.path("aws").path("bucket_name").asText()).isEqualTo("xray-workbook-local");
        assertThat(s3.path("aws").path("key").asText()).isEqualTo("sample_data.json");
        assertThat(s3.path("http").path("response").path("status").asInt()).isEqualTo(200);
        assertThat(new ServiceMap(cold).renderText())
                .contains("xray-workbook-step-2 (AWS::Lambda::Function) -> S3 (AWS::S3)  1 call  OK");

        Span warm = assertLambdaSegments(run.traces().get(1), "xray-workbook-step-2", false);
        assertThat(child(warm, "Invocation").children()).extracting(Span::name).containsExactly("S3");
        keepViews("step-2", cold);
    }

    @Test
    void stepThreeRecordsItsSubsegmentAndFailsOnPurpose() throws IOException {
        Run run = run("step-3");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("Function error: java.lang.RuntimeException: Information");
        assertThat(run.stderr().strip()).isEqualTo(
                "workbench: step-3 fails on purpose (RuntimeException: Information), as the book explains");
        Trace trace = single(run);
        Span function = trace.roots().get(0).children().get(0);
        assertThat(function.status()).isEqualTo(Span.Status.FAULT);
        assertThat(function.exceptions().get(0).path("type").asText()).isEqualTo("java.lang.RuntimeException");
        assertThat(function.exceptions().get(0).path("message").asText()).isEqualTo("Information");

        Span invocation = child(function, "Invocation");
        assertThat(invocation.status()).isEqualTo(Span.Status.FAULT);
        assertThat(invocation.children()).extracting(Span::name).containsExactly("S3", "Throwing exception");
        Span subsegment = invocation.children().get(1);
        assertThat(subsegment.status()).isEqualTo(Span.Status.FAULT);
        assertThat(subsegment.annotations().path("very_important_annotation").asText())
                .isEqualTo("Very very important information");
        assertThat(subsegment.metadata().path("information").path("very_important_inforamtion")
                .path("message").asText()).isEqualTo("Hello I am metadata");
        assertThat(subsegment.exceptions().get(0).path("message").asText()).isEqualTo("Information");
        assertThat(subsegment.exceptions().get(0).path("type").asText()).isEqualTo("java.lang.RuntimeException");
        keepViews("step-3", trace);
    }

    @Test
    void aHandlerMissingFromThePackageFailsTheFirstInvocationInOneLine() {
        Run run = run("step-2", "--package", ROOT.resolve("step-1-blank/target/step-1-blank-lambda.jar").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        // The runtime client defers a missing class to the first invocation, as Lambda does.
        String missing = "java.lang.ClassNotFoundException: Class not found: io.github.xrayworkbook.step2.S3MessageHandler";
        assertThat(run.stdout()).contains("Function error: " + missing);
        assertThat(run.stderr().lines()).singleElement().asString()
                .isEqualTo("workbench: the function failed: Function error: " + missing
                        + " (run with --verbose for its log)");
        Span function = single(run).roots().get(0).children().get(0);
        assertThat(function.status()).isEqualTo(Span.Status.FAULT);
    }

    @Test
    void anUnknownStepIsOneClearLine() {
        Run run = run("step-9");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("workbench: Unknown step 'step-9': choose step-1, step-2, step-3\n");
    }

    @Test
    void aMissingPackageSaysHowToBuildIt(@TempDir Path emptyRoot) {
        StringWriter stderr = new StringWriter();
        int exit = WorkbenchCommand.execute(new String[] {"run", "step-2", "--root", emptyRoot.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(stderr, true));

        assertThat(exit).isEqualTo(2);
        assertThat(stderr.toString()).isEqualTo("workbench: step-2-s3-patched/target/step-2-s3-patched-lambda.jar"
                + " is missing: build it with ./mvnw package -DskipTests (scripts/local.sh does it for you)\n");
    }

    @Test
    void viewRejectsATruncatedOrForeignFileInOneLine() throws IOException {
        Path truncated = Files.writeString(out.resolve("truncated.json"), "{\"Traces\": [{\"Id\": ");
        Path foreign = Files.writeString(out.resolve("foreign.json"), "{\"hello\": \"world\"}");

        for (Path file : List.of(truncated, foreign, out.resolve("absent.json"))) {
            StringWriter stderr = new StringWriter();
            int exit = WorkbenchCommand.execute(new String[] {"view", file.toString()},
                    new PrintWriter(new StringWriter()), new PrintWriter(stderr, true));
            assertThat(exit).isEqualTo(2);
            assertThat(stderr.toString()).startsWith("workbench: " + file).endsWith("\n").doesNotContain("\tat ");
            assertThat(stderr.toString().lines()).hasSize(1);
        }
    }

    /** The two Lambda segments, their three (or two) subsegments, and every document valid. */
    private static Span assertLambdaSegments(Trace trace, String functionName, boolean cold) {
        trace.documents().forEach(document -> assertThat(SCHEMA.violations(document)).as(document.toString()).isEmpty());
        assertThat(trace.roots()).hasSize(1);
        Span service = trace.roots().get(0);
        assertThat(service.name()).isEqualTo(functionName);
        assertThat(service.origin()).isEqualTo("AWS::Lambda");
        assertThat(service.document().has("parent_id")).isFalse();
        assertThat(service.document().path("http").path("response").path("status").asInt()).isEqualTo(200);
        assertThat(service.children()).hasSize(1);
        Span function = service.children().get(0);
        assertThat(function.name()).isEqualTo(functionName);
        assertThat(function.origin()).isEqualTo("AWS::Lambda::Function");
        assertThat(function.document().path("parent_id").asText()).isEqualTo(service.id());
        assertThat(function.children()).extracting(Span::name).containsExactlyElementsOf(cold
                ? List.of("Initialization", "Invocation", "Overhead")
                : List.of("Invocation", "Overhead"));
        trace.visit(span -> {
            assertThat(span.end()).isGreaterThanOrEqualTo(span.start());
            span.children().forEach(child -> assertThat(child.start()).isGreaterThanOrEqualTo(span.start() - 1e-6));
        });
        assertThat(service.emulated()).isTrue();
        assertThat(function.emulated()).isTrue();
        return function;
    }

    /** The function's answer, as JSON: field order is the serialiser's business. */
    private static JsonNode response(Run run) throws IOException {
        String line = run.stdout().lines().filter(l -> l.startsWith("Response: ")).findFirst().orElseThrow();
        return JSON.readTree(line.substring("Response: ".length()));
    }

    private static Span child(Span span, String name) {
        return span.children().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static Trace single(Run run) {
        assertThat(run.traces()).hasSize(1);
        return run.traces().get(0);
    }

    /** Writes the text and SVG views of a run's trace where the book picks them up. */
    private static void keepViews(String step, Trace trace) throws IOException {
        Files.createDirectories(VIEWS);
        Files.writeString(VIEWS.resolve(step + "-timeline.txt"), new TimelineView(false).render(trace));
        Files.writeString(VIEWS.resolve(step + "-map.txt"), new ServiceMap(trace).renderText());
        Files.writeString(VIEWS.resolve(step + "-map.svg"), MapSvg.render(new ServiceMap(trace)));
        Files.writeString(VIEWS.resolve(step + "-timeline.svg"), TimelineSvg.render(trace));
    }
}
