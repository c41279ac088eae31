package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.xrayworkbook.local.schema.SegmentDocumentSchema;
import io.github.xrayworkbook.workbench.run.Step;
import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import io.github.xrayworkbook.workbench.trace.TraceFiles;
import io.github.xrayworkbook.workbench.view.ServiceMap;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each step's deployment package, run end to end through the real Lambda runtime interface client,
 * and its whole trace asserted. The views these runs produce are kept for the book.
 *
 * <p>A step's main run is a cold start and a warm one ({@link SharedRuns#coldThenWarm}), which
 * {@code RuntimeClientEquivalenceIT} compares with the portable runtime client's.
 */
class WorkbenchIT {

    private static final Path ROOT = LocalRunResult.ROOT;
    private static final SegmentDocumentSchema SCHEMA = SegmentDocumentSchema.load();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    private LocalRunResult run(String... args) {
        return LocalRunResult.run(out, args);
    }

    @Test
    void stepOneIsTracedByLambdaAlone() throws IOException {
        LocalRunResult run = SharedRuns.of(SharedRuns.coldThenWarm("step-1"));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(response(run)).isEqualTo(JSON.readTree("{\"statusCode\": 200, \"body\": \"Hello from Lambda!\"}"));
        Trace trace = coldThenWarm(run);
        Span function = assertLambdaSegments(trace, "xray-workbook-step-1", true);
        assertThat(function.children()).extracting(Span::name).containsExactly("Init", "Overhead");
        assertThat(assertLambdaSegments(run.traces().get(1), "xray-workbook-step-1", false).children())
                .extracting(Span::name).containsExactly("Overhead");
        assertThat(new ServiceMap(trace).renderText()).isEqualTo("""
                Client -> xray-workbook-step-1 (AWS::Lambda)  1 call  OK
                xray-workbook-step-1 (AWS::Lambda) -> xray-workbook-step-1 (AWS::Lambda::Function)  1 call  OK
                """);
        BookViews.keep("step-1", trace);
    }

    @Test
    void stepTwoHangsTheS3CallUnderTheFunctionSegmentWithItsInferredBucketAndAWarmStartHasNoInit() throws IOException {
        LocalRunResult run = SharedRuns.of(SharedRuns.coldThenWarm("step-2"));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(response(run)).isEqualTo(JSON.readTree("{\"statusCode\": 200, \"body\": \"Hello from S3!\"}"));
        assertThat(run.traces()).hasSize(2);
        Trace cold = run.traces().get(0);
        Span function = assertLambdaSegments(cold, "xray-workbook-step-2", true);
        assertThat(function.children()).extracting(Span::name).containsExactly("Init", "S3", "Overhead");
        Span call = function.children().get(1);
        JsonNode s3 = call.document();
        assertThat(s3.path("namespace").asText()).isEqualTo("aws");
        assertThat(s3.path("aws").path("operation").asText()).isEqualTo("GetObject");
        assertThat(s3.path("aws").path("bucket_name").asText()).isEqualTo("xray-workbook-local");
        assertThat(s3.path("aws").path("key").asText()).isEqualTo("sample_data.json");
        assertThat(s3.path("http").path("response").path("status").asInt()).isEqualTo(200);

        Span bucket = call.children().stream().filter(Span::inferred).findFirst().orElseThrow();
        JsonNode inferred = bucket.document();
        assertThat(inferred.path("origin").asText()).isEqualTo("AWS::S3::Bucket");
        assertThat(inferred.path("name").asText()).isEqualTo("S3");
        assertThat(inferred.path("parent_id").asText()).isEqualTo(call.id());
        assertThat(inferred.path("trace_id").asText()).isEqualTo(cold.id());
        assertThat(inferred.path("id").asText()).matches("[0-9a-f]{16}").isNotEqualTo(call.id());
        assertThat(bucket.start()).isEqualTo(call.start());
        assertThat(bucket.end()).isEqualTo(call.end());
        assertThat(inferred.path("http")).isEqualTo(s3.path("http"));
        assertThat(inferred.path("aws").path("operation").asText()).isEqualTo("GetObject");
        assertThat(inferred.path("aws").path("resource_names")).isEqualTo(JSON.readTree("[\"xray-workbook-local\"]"));
        assertThat(bucket.emulated()).isTrue();
        assertThat(new ServiceMap(cold).renderText())
                .contains("xray-workbook-step-2 (AWS::Lambda::Function) -> S3 (AWS::S3::Bucket)  1 call  OK")
                .doesNotContain("(AWS::S3)");

        Trace warmTrace = run.traces().get(1);
        Span warm = assertLambdaSegments(warmTrace, "xray-workbook-step-2", false);
        assertThat(warm.children()).extracting(Span::name).containsExactly("S3", "Overhead");
        BookViews.keep("step-2", cold);
        BookViews.keep("step-2-warm", warmTrace);
    }

    @Test
    void theLegacyFormatHoldsTheS3CallUnderInvocation() throws IOException {
        LocalRunResult run = run("step-2", "--lambda-format", "legacy");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        Trace trace = single(run);
        trace.documents().forEach(document -> assertThat(SCHEMA.violations(document)).as(document.toString()).isEmpty());
        Span function = trace.roots().get(0).children().get(0);
        assertThat(function.origin()).isEqualTo("AWS::Lambda::Function");
        assertThat(function.children()).extracting(Span::name).containsExactly("Initialization", "Invocation", "Overhead");
        assertThat(child(function, "Invocation").children()).extracting(Span::name).containsExactly("S3");
        assertThat(function.annotations().isMissingNode()).isTrue();
        JsonNode aws = function.document().path("aws");
        assertThat(aws.path("function_arn").asText()).isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:xray-workbook-step-2");
        assertThat(aws.path("account_id").asText()).isEqualTo("123456789012");
        assertThat(aws.path("resource_names")).isEqualTo(JSON.readTree("[\"xray-workbook-step-2\"]"));
        function.children().forEach(subsegment ->
                assertThat(subsegment.document().path("aws").path("function_arn").asText()).isEqualTo(aws.path("function_arn").asText()));
        BookViews.keep("step-2-legacy", trace);
    }

    @Test
    void stepThreeRecordsItsSubsegmentAndFailsOnPurpose() throws IOException {
        LocalRunResult run = SharedRuns.of(SharedRuns.coldThenWarm("step-3"));

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("Function error: java.lang.RuntimeException: Information");
        assertThat(run.stderr().strip()).isEqualTo(
                "workbench: step-3 fails on purpose (RuntimeException: Information), as the book explains");
        Trace trace = coldThenWarm(run);
        Span warm = assertLambdaSegments(run.traces().get(1), "xray-workbook-step-3", false);
        assertThat(warm.status()).isEqualTo(Span.Status.FAULT);
        assertThat(warm.children()).extracting(Span::name).containsExactly("S3", "Throwing exception", "Overhead");
        Span function = assertLambdaSegments(trace, "xray-workbook-step-3", true);
        assertThat(function.status()).isEqualTo(Span.Status.FAULT);
        assertThat(function.exceptions().get(0).path("type").asText()).isEqualTo("java.lang.RuntimeException");
        assertThat(function.exceptions().get(0).path("message").asText()).isEqualTo("Information");

        assertThat(function.children()).extracting(Span::name).containsExactly("Init", "S3", "Throwing exception", "Overhead");
        Span subsegment = function.children().get(2);
        assertThat(subsegment.status()).isEqualTo(Span.Status.FAULT);
        assertThat(subsegment.annotations().path("very_important_annotation").asText())
                .isEqualTo("Very very important information");
        assertThat(subsegment.metadata().path("information").path("very_important_inforamtion")
                .path("message").asText()).isEqualTo("Hello I am metadata");
        assertThat(subsegment.exceptions().get(0).path("message").asText()).isEqualTo("Information");
        assertThat(subsegment.exceptions().get(0).path("type").asText()).isEqualTo("java.lang.RuntimeException");
        BookViews.keep("step-3", trace);
    }

    @Test
    void stepFourSendsTheSameTraceThroughOpenTelemetry() throws IOException {
        LocalRunResult run = SharedRuns.of(SharedRuns.coldThenWarm("step-4"));

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("Function error: java.lang.RuntimeException: Information");
        assertThat(run.stderr().strip()).isEqualTo(
                "workbench: step-4 fails on purpose (RuntimeException: Information), as the book explains");
        assertThat(run.stdout()).doesNotContain("do not validate");
        Trace trace = coldThenWarm(run);
        assertThat(assertLambdaSegments(run.traces().get(1), "xray-workbook-step-4", false).children())
                .extracting(Span::name).containsExactly("xray-workbook-step-4", "Overhead");
        Span function = assertLambdaSegments(trace, "xray-workbook-step-4", true);
        assertThat(function.status()).isEqualTo(Span.Status.FAULT);
        assertThat(function.children()).extracting(Span::name)
                .containsExactly("Init", "xray-workbook-step-4", "Overhead");

        // X-Ray's conversion: the handler's SERVER span is a segment under the function segment, a
        // document of its own in trace.json with its client and internal spans nested in it.
        Span handler = function.children().get(1);
        assertThat(handler.segment()).isTrue();
        JsonNode document = handler.document();
        assertThat(trace.documents()).contains(document);
        assertThat(document.path("parent_id").asText()).isEqualTo(function.id());
        assertThat(document.path("trace_id").asText()).isEqualTo(trace.id());
        assertThat(document.path("aws").path("xray").path("sdk").asText()).isEqualTo("opentelemetry for java");
        assertThat(document.path("metadata").path("service.name").asText()).isEqualTo("xray-workbook-step-4");
        assertThat(document.path("metadata").path("cloud.platform").asText()).isEqualTo("aws_lambda");
        assertThat(document.path("annotations").path("span.kind").asText()).isEqualTo("SERVER");
        assertThat(handler.status()).isEqualTo(Span.Status.FAULT);
        assertThat(handler.emulated()).isTrue();
        assertThat(handler.children()).extracting(Span::name).containsExactly("S3", "Throwing exception");
        assertThat(document.path("subsegments")).extracting(child -> child.path("name").asText())
                .containsExactly("S3", "Throwing exception");

        Span s3 = handler.children().get(0);
        assertThat(s3.namespace()).isEqualTo("aws");
        assertThat(s3.operation()).isEqualTo("GetObject");
        assertThat(s3.metadata().path("rpc.method").asText()).isEqualTo("GetObject");
        assertThat(s3.document().has("trace_id") || s3.document().has("type")).isFalse();
        assertThat(s3.document().path("http").path("response").path("status").asInt()).isEqualTo(200);
        assertThat(s3.status()).isEqualTo(Span.Status.OK);
        Span bucket = s3.children().stream().filter(Span::inferred).findFirst().orElseThrow();
        assertThat(bucket.origin()).isEqualTo("AWS::S3::Bucket");

        Span subsegment = handler.children().get(1);
        assertThat(subsegment.status()).isEqualTo(Span.Status.FAULT);
        assertThat(subsegment.annotations().path("very_important_annotation").asText())
                .isEqualTo("Very very important information");
        assertThat(subsegment.metadata().path("information").path("very_important_inforamtion"))
                .isEqualTo(JSON.readTree("{\"message\": \"Hello I am metadata\"}"));
        assertThat(subsegment.exceptions().get(0).path("type").asText()).isEqualTo("java.lang.RuntimeException");
        assertThat(subsegment.exceptions().get(0).path("message").asText()).isEqualTo("Information");
        assertThat(new ServiceMap(trace).renderText()).contains("-> S3 (AWS::S3::Bucket)  1 call  OK");
        trace.documents().forEach(stored -> assertThat(SCHEMA.violations(stored)).as(stored.toPrettyString()).isEmpty());
        BookViews.keep("step-4", trace);
    }

    @Test
    void stepFiveIsTracedByTheLayersAgentWithNoTracingCode() throws IOException {
        LocalRunResult run = SharedRuns.of(SharedRuns.coldThenWarm("step-5"));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(response(run)).isEqualTo(JSON.readTree("{\"statusCode\": 200, \"body\": \"Hello from S3!\"}"));
        assertThat(run.stdout()).contains("Picked up JAVA_TOOL_OPTIONS: -javaagent:")
                .contains("opentelemetry-javaagent - version: ").doesNotContain("do not validate");
        Trace trace = coldThenWarm(run);
        assertThat(assertLambdaSegments(run.traces().get(1), "xray-workbook-step-5", false).children())
                .extracting(Span::name).containsExactly("xray-workbook-step-5", "Overhead");
        Span function = assertLambdaSegments(trace, "xray-workbook-step-5", true);
        assertThat(function.status()).isEqualTo(Span.Status.OK);
        assertThat(function.children()).extracting(Span::name).containsExactly("Init", "xray-workbook-step-5", "Overhead");

        // The agent's Lambda instrumentation: a SERVER span for the handler, in Lambda's trace.
        Span handler = function.children().get(1);
        JsonNode document = handler.document();
        assertThat(handler.segment()).isTrue();
        assertThat(trace.documents()).contains(document);
        assertThat(document.path("parent_id").asText()).isEqualTo(function.id());
        assertThat(document.path("aws").path("span.kind").asText()).isEqualTo("SERVER");
        assertThat(document.path("aws").path("log.group.names").asText()).isEqualTo("/aws/lambda/xray-workbook-step-5");
        assertThat(document.path("aws").path("xray").path("auto_instrumentation").asBoolean()).isTrue();
        assertThat(document.path("annotations").path("span.name").asText()).isEqualTo("xray-workbook-step-5");
        JsonNode metadata = document.path("metadata");
        assertThat(metadata.path("service.name").asText()).isEqualTo("xray-workbook-step-5");
        assertThat(metadata.path("faas.invocation_id").asText()).isEqualTo(run.stdout().lines()
                .filter(line -> line.startsWith("Cold start, request ")).findFirst().orElseThrow()
                .substring("Cold start, request ".length()));
        assertThat(metadata.path("cloud.resource_id").asText())
                .isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:xray-workbook-step-5");
        assertThat(metadata.path("telemetry.distro.name").asText()).isEqualTo("opentelemetry-java-instrumentation");

        // The agent's AWS SDK instrumentation: the S3 call, nested in the handler's document.
        assertThat(handler.children()).extracting(Span::name).containsExactly("S3");
        Span s3 = handler.children().get(0);
        assertThat(document.path("subsegments").get(0)).isSameAs(s3.document());
        assertThat(s3.namespace()).isEqualTo("aws");
        assertThat(s3.operation()).isEqualTo("GetObject");
        assertThat(s3.metadata().path("rpc.method").asText()).isEqualTo("GetObject");
        assertThat(s3.annotations().path("span.name").asText()).isEqualTo("S3.GetObject");
        assertThat(s3.document().path("aws").path("bucket_name").asText()).isEqualTo("xray-workbook-local");
        assertThat(s3.document().path("http").path("response").path("status").asInt()).isEqualTo(200);
        assertThat(s3.children()).filteredOn(Span::inferred).singleElement()
                .satisfies(bucket -> assertThat(bucket.origin()).isEqualTo("AWS::S3::Bucket"));
        assertThat(new ServiceMap(trace).renderText()).isEqualTo("""
                Client -> xray-workbook-step-5 (AWS::Lambda)  1 call  OK
                xray-workbook-step-5 (AWS::Lambda) -> xray-workbook-step-5 (AWS::Lambda::Function)  1 call  OK
                xray-workbook-step-5 (AWS::Lambda::Function) -> xray-workbook-step-5 (service)  1 call  OK
                xray-workbook-step-5 (service) -> S3 (AWS::S3::Bucket)  1 call  OK
                """);
        trace.documents().forEach(stored -> assertThat(SCHEMA.violations(stored)).as(stored.toPrettyString()).isEmpty());
        BookViews.keep("step-5", trace);
    }

    @Test
    void aCaughtExceptionFaultsOnlyItsSubsegment() throws IOException {
        LocalRunResult run = run("step-3", "--handler", "io.github.xrayworkbook.step3.CaughtExceptionHandler::handleRequest");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(response(run)).isEqualTo(JSON.readTree("{\"statusCode\": 200, \"body\": \"Caught: Information\"}"));
        Trace trace = single(run);
        Span function = assertLambdaSegments(trace, "xray-workbook-step-3", true);
        assertThat(function.status()).isEqualTo(Span.Status.OK);
        assertThat(function.exceptions()).isEmpty();
        Span subsegment = child(function, "Throwing exception");
        assertThat(subsegment.status()).isEqualTo(Span.Status.FAULT);
        assertThat(subsegment.exceptions().get(0).path("message").asText()).isEqualTo("Information");
        assertThat(new ServiceMap(trace).renderText())
                .contains("xray-workbook-step-3 (AWS::Lambda) -> xray-workbook-step-3 (AWS::Lambda::Function)  1 call  OK");
        BookViews.keep("step-3-caught", trace);
    }

    @Test
    void verboseShowsThisRunsFunctionLogOnlyWhenRunTwiceIntoTheSameFolder() throws IOException {
        // The first run: what step 3's main run (two invocations, two exceptions in its log) left
        // in its folder, copied here.
        LocalRunResult first = SharedRuns.of(SharedRuns.coldThenWarm("step-3"));
        copyTree(first.out(), out);
        assertThat(Files.readString(out.resolve("function/function.log")).split("java.lang.RuntimeException: Information", -1))
                .hasSizeGreaterThan(2);
        LocalRunResult second = run("step-3", "--verbose");

        String log = second.stdout().substring(second.stdout().indexOf("Function log ("));
        assertThat(log.split("java.lang.RuntimeException: Information", -1)).as(log).hasSize(2);
    }

    @Test
    void aHandlerMissingFromThePackageFailsTheFirstInvocationInOneLine() {
        LocalRunResult run = SharedRuns.of(SharedRuns.missingHandler());

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
        LocalRunResult run = run("step-9");

        assertThat(run.exitCode()).isEqualTo(2);
        // Every step-N module of the workbook, as the workbench reads them from the POMs.
        String steps = Step.all(LocalRunResult.ROOT).stream().map(Step::shortName).collect(Collectors.joining(", "));
        assertThat(steps).startsWith("step-1, step-2, step-3, step-4");
        assertThat(run.stderr()).isEqualTo("workbench: Unknown step 'step-9': choose " + steps + "\n");
    }

    @Test
    void aMissingPackageSaysHowToBuildIt(@TempDir Path unbuilt) throws IOException {
        Path module = Files.createDirectories(unbuilt.resolve("step-2-s3-patched"));
        Files.copy(ROOT.resolve("step-2-s3-patched/pom.xml"), module.resolve("pom.xml"));
        StringWriter stderr = new StringWriter();
        int exit = WorkbenchCommand.execute(new String[] {"run", "step-2", "--root", unbuilt.toString()},
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

    /**
     * The two Lambda segments in the current structure, every document valid (the service's four
     * {@code aws:} annotation keys being the schema's one named exception), and the timings each
     * annotation reports consistent with the subsegments.
     */
    private static Span assertLambdaSegments(Trace trace, String functionName, boolean cold) {
        trace.documents().forEach(document -> assertThat(SCHEMA.violations(document)).as(document.toString()).isEmpty());
        assertThat(trace.roots()).hasSize(1);
        Span service = trace.roots().get(0);
        assertThat(service.name()).isEqualTo(functionName);
        assertThat(service.origin()).isEqualTo("AWS::Lambda");
        assertThat(service.document().has("parent_id")).isFalse();
        assertThat(service.document().path("resource_arn").asText()).endsWith(":function:" + functionName);
        assertThat(service.document().path("http").path("response").path("status").asInt()).isEqualTo(200);
        assertThat(service.children()).hasSize(1);
        Span function = service.children().get(0);
        assertThat(function.name()).isEqualTo(functionName);
        assertThat(function.origin()).isEqualTo("AWS::Lambda::Function");
        assertThat(function.document().path("parent_id").asText()).isEqualTo(service.id());
        assertThat(function.document().path("aws")).isEqualTo(JSON.createObjectNode().set("cloudwatch_logs",
                JSON.createArrayNode().add(JSON.createObjectNode().put("log_group", "/aws/lambda/" + functionName))));
        assertThat(function.document().has("resource_arn")).isFalse();
        List<String> names = function.children().stream().map(Span::name).toList();
        assertThat(names).doesNotContain("Invocation", "Initialization").endsWith("Overhead");
        assertThat(names.contains("Init")).isEqualTo(cold);
        if (cold) {
            assertThat(names.get(0)).isEqualTo("Init");
            assertThat(child(function, "Init").start()).isEqualTo(function.start());
        }
        JsonNode annotations = function.annotations();
        assertThat(annotations.size()).isEqualTo(4);
        for (String key : List.of("aws:responseLatency", "aws:responseDuration", "aws:runtimeOverhead", "aws:extensionOverhead")) {
            assertThat(annotations.path(key).isNumber()).as(key).isTrue();
            assertThat(annotations.path(key).asDouble()).as(key).isGreaterThanOrEqualTo(0);
        }
        Span overhead = child(function, "Overhead");
        assertThat(annotations.path("aws:runtimeOverhead").asDouble() / 1000)
                .isCloseTo(overhead.duration(), org.assertj.core.data.Offset.offset(0.002));
        assertThat(annotations.path("aws:extensionOverhead").asDouble()).isZero();
        function.children().stream().filter(c -> !c.emulated()).forEach(call ->
                assertThat(annotations.path("aws:responseLatency").asDouble() / 1000)
                        .isGreaterThanOrEqualTo(call.duration() - 0.002));
        trace.visit(span -> {
            assertThat(span.end()).isGreaterThanOrEqualTo(span.start());
            span.children().forEach(child -> assertThat(child.start()).isGreaterThanOrEqualTo(span.start() - 1e-6));
        });
        assertThat(service.emulated()).isTrue();
        assertThat(function.emulated()).isTrue();
        return function;
    }

    /** The function's answer, as JSON: field order is the serialiser's business. */
    private static JsonNode response(LocalRunResult run) throws IOException {
        String line = run.stdout().lines().filter(l -> l.startsWith("Response: ")).findFirst().orElseThrow();
        return JSON.readTree(line.substring("Response: ".length()));
    }

    private static Span child(Span span, String name) {
        return span.children().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** The cold start of a run of two invocations, the warm one being the second trace. */
    private static Trace coldThenWarm(LocalRunResult run) {
        assertThat(run.traces()).hasSize(2);
        return run.traces().get(0);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isSymbolicLink(path)) {
                    // The task root, a link to the package unpacked once (UnpackedPackages).
                    Files.copy(path, target, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                } else if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Trace single(LocalRunResult run) {
        assertThat(run.traces()).hasSize(1);
        return run.traces().get(0);
    }

}
