package io.github.xrayworkbook.workbench.cli;

import io.github.xrayworkbook.local.xray.XRayDaemon;
import io.github.xrayworkbook.workbench.layer.OpenTelemetryLayer;
import io.github.xrayworkbook.workbench.run.LocalRequestPath;
import io.github.xrayworkbook.workbench.run.LocalRun;
import io.github.xrayworkbook.workbench.run.Step;
import io.github.xrayworkbook.workbench.run.Workbook;
import io.github.xrayworkbook.workbench.runtime.RuntimeClient;
import io.github.xrayworkbook.workbench.runtime.Invocation;
import io.github.xrayworkbook.workbench.runtime.Outcome;
import io.github.xrayworkbook.workbench.trace.LambdaFormat;
import io.github.xrayworkbook.workbench.trace.Trace;
import io.github.xrayworkbook.workbench.trace.TraceFiles;
import io.github.xrayworkbook.workbench.view.HtmlPage;
import io.github.xrayworkbook.workbench.view.MapSvg;
import io.github.xrayworkbook.workbench.view.ServiceMap;
import io.github.xrayworkbook.workbench.view.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs a step's deployment package locally, as Lambda would, and shows its trace.")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "STEP", description = "a step of the workbook: step-N, N or the module's name")
    String stepName;

    @Option(names = "--event", paramLabel = "FILE", description = "the event, a JSON file (default: {}); for a step with a REST API, the body of each request"
            + " (default: {\"greeting\": \"hello from the workbench\"})")
    Path eventFile;

    @Option(names = "--invocations", paramLabel = "N", defaultValue = "1",
            description = "invocations in a row: the first is a cold start, the rest warm (default: ${DEFAULT-VALUE})")
    int invocations;

    @Option(names = "--out", paramLabel = "DIR", description = "where trace.json, trace.html and map.svg go"
            + " (default: target/workbench/STEP under the workbook)")
    Path out;

    @Option(names = "--root", paramLabel = "DIR",
            description = "the workbook's folder (default: the one this workbench was built in)")
    Path root;

    @Option(names = "--runtime-client", paramLabel = "MODE", defaultValue = "auto",
            description = "native (the client's JNI library: Linux on x86_64 or aarch64), portable (a pure-Java"
                    + " stand-in for its one native class: any OS) or auto (native where it can load, else portable;"
                    + " default)")
    String runtimeClientMode;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "the function timeout (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--lambda-format", paramLabel = "FORMAT", defaultValue = "current",
            description = "the Lambda service's segments: current (Init, your subsegments directly under the function"
                    + " segment, Overhead; every commercial region) or legacy (Initialization, Invocation, Overhead;"
                    + " China and GovCloud, and older traces) (default: ${DEFAULT-VALUE})")
    String lambdaFormat;

    @Option(names = "--package", paramLabel = "JAR", description = "run this deployment package with the step's"
            + " handler instead of the step's own (for benchmarks against a naive build)")
    Path packageOverride;

    @Option(names = "--handler", paramLabel = "CLASS::METHOD", description = "run this handler instead of the step's")
    String handlerOverride;

    @Option(names = "--snapstart", negatable = true, description = "run with SnapStart: init and the beforeCheckpoint"
            + " hooks before the first invocation (at publish time in AWS), then a restore; --no-snapstart runs"
            + " without (default: as the step's POM says, workbook.snapstart)")
    Boolean snapStart;

    @Option(names = "--max-concurrency", paramLabel = "N", description = "send all the invocations at once to one"
            + " environment whose runtime client runs N at a time, as on Lambda Managed Instances"
            + " (AWS_LAMBDA_MAX_CONCURRENCY; 1 to 1600); default: one after another")
    String maxConcurrency;

    @Option(names = "--trace-header", paramLabel = "VALUE", description = "for a step with a REST API: send this"
            + " X-Amzn-Trace-Id with each request, as a traced caller would (e.g. Root=1-...;Sampled=0)")
    String traceHeader;

    @Option(names = "--compare", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "after the step's own handler, run the handlers its POM names for comparison"
                    + " (workbook.compare-handlers) with the same invocations; --no-compare runs the step's alone")
    boolean compare;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "an environment variable of the function, as its"
            + " configuration would set it (repeat for more), e.g. OTEL_INSTRUMENTATION_EXECUTORS_ENABLED=true")
    List<String> variables = new ArrayList<>();

    @Option(names = "--quiet", description = "print only the summary, not each trace")
    boolean quiet;

    @Option(names = "--color", defaultValue = "auto", description = "auto, always or never (default: ${DEFAULT-VALUE})")
    String color;

    @Option(names = "--verbose", description = "print stack traces and the function's log")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        Path workbook = (root != null ? root : Workbook.locate()).toAbsolutePath().normalize();
        Step step = Step.parse(stepName, workbook);
        if (invocations < 1) {
            throw new IllegalArgumentException("--invocations must be at least 1");
        }
        int concurrency = parseMaxConcurrency(maxConcurrency);
        Map<String, String> functionVariables = parseVariables(variables);
        boolean withSnapStart = snapStart != null ? snapStart : step.snapStart();
        if (concurrency > 0 && withSnapStart) {
            throw new IllegalArgumentException("--max-concurrency runs the function as Lambda Managed Instances do,"
                    + " and no AWS page says SnapStart runs there: add --no-snapstart");
        }
        RuntimeClient.Mode mode = RuntimeClient.Mode.parse(runtimeClientMode);
        LambdaFormat format = LambdaFormat.parse(lambdaFormat);
        Path deploymentPackage = packageOverride != null ? packageOverride.toAbsolutePath() : step.deploymentPackage(workbook);
        if (!Files.isRegularFile(deploymentPackage)) {
            throw new IllegalArgumentException(workbook.relativize(deploymentPackage)
                    + " is missing: build it with ./mvnw package -DskipTests (scripts/local.sh does it for you)");
        }
        RuntimeClient runtimeClient = RuntimeClient.in(Workbook.workbenchTarget(workbook), mode);
        byte[] event = eventFile == null ? "{}".getBytes() : readEvent(eventFile);
        Path outDir = out != null ? out : workbook.resolve("target/workbench").resolve(step.shortName());
        Files.createDirectories(outDir);
        PrintWriter stdout = spec.commandLine().getOut();
        if (step.restApi().isPresent()) {
            if (concurrency > 0 || withSnapStart || handlerOverride != null || !functionVariables.isEmpty()) {
                throw new IllegalArgumentException(step.shortName() + " runs behind its REST API and queue:"
                        + " --max-concurrency, --snapstart, --handler and --env do not apply to it");
            }
            Optional<String> header = Optional.ofNullable(traceHeader);
            header.ifPresent(RunCommand::requireTraceHeader);
            LocalRequestPath path = new LocalRequestPath(step, deploymentPackage, runtimeClient, format,
                    outDir.resolve("function"), Duration.ofSeconds(timeoutSeconds));
            return RequestPathReport.print(step, path.send(eventFile == null ? DEFAULT_BODY : event, invocations, header),
                    stdout, spec.commandLine().getErr(), outDir, quiet, verbose, Terminal.colour(color), mode);
        }
        if (traceHeader != null) {
            throw new IllegalArgumentException("--trace-header is for a step with a REST API; "
                    + step.shortName() + " is invoked directly, with a new trace each time");
        }

        Optional<OpenTelemetryLayer> layer = step.openTelemetryLayer()
                ? Optional.of(OpenTelemetryLayer.in(Workbook.workbenchTarget(workbook))) : Optional.empty();
        LocalRun run = new LocalRun(step, deploymentPackage,
                handlerOverride != null ? handlerOverride : step.handler(), runtimeClient, format,
                outDir.resolve("function"), Duration.ofSeconds(timeoutSeconds), layer, withSnapStart, concurrency,
                functionVariables);
        int[] shown = {0};
        LocalRun.Result result = run.invoke(event, invocations, (invocation, trace) -> {
            int index = shown[0]++;
            if (!quiet && (index == 0 || index == invocations - 1)) {
                show(stdout, invocation, trace);
            }
        });
        if (verbose) {
            stdout.println("Function log (" + result.functionLog() + "):");
            stdout.println(Files.readString(result.functionLog()));
        }
        printRejections(stdout, result.rejected());
        List<Trace> traces = result.traces();
        List<Invocation> results = result.invocations();
        TraceFiles.write(traces, outDir.resolve("trace.json"));
        Files.writeString(outDir.resolve("map.svg"), MapSvg.render(new ServiceMap(traces.get(0))));
        HtmlPage.write(traces, outDir.resolve("trace.html"), step.shortName() + ": " + step.functionName());
        String rate = results.size() > 1
                ? String.format(Locale.ROOT, "; %.1f invocations/s", results.size() / result.seconds()) : "";
        printPhases(stdout, results.get(0));
        stdout.println(summary(results, concurrency) + rate + "; " + result.tracesMissingSdkDocuments()
                + " trace(s) missing SDK documents; runtime client " + mode.name().toLowerCase(Locale.ROOT));
        if (concurrency > 0 && results.size() > concurrency) {
            stdout.printf("Queued: %d of %d invocations found all %d workers busy and waited for one; Lambda Managed"
                    + " Instances turn such a request away from a busy environment instead%n",
                    results.size() - concurrency, results.size(), concurrency);
        }
        stdout.println("Wrote " + outDir.resolve("trace.json") + ", trace.html and map.svg");
        if (result.invalidDocuments() > 0) {
            stdout.println("Warning: " + result.invalidDocuments() + " segment document(s) do not validate against AWS's schema");
        }
        if (compare && handlerOverride == null && packageOverride == null) {
            for (String other : step.compareHandlers()) {
                compare(run, other, event, outDir, stdout);
            }
        }
        return exitCode(step, results, spec.commandLine().getErr());
    }

    /**
     * Runs another handler of the step's package with the same invocations, and shows its last
     * trace: what the step's own handler sets right (the POM's {@code workbook.compare-handlers}).
     */
    private void compare(LocalRun run, String other, byte[] event, Path outDir, PrintWriter stdout) throws IOException {
        String name = other.substring(other.lastIndexOf('.') + 1).replace("::handleRequest", "");
        Path dir = outDir.resolve("compare").resolve(name);
        LocalRun contrast = new LocalRun(run.step(), run.deploymentPackage(), other, run.runtimeClient(), run.format(),
                dir.resolve("function"), run.timeout(), run.layer(), run.snapStart(), run.maxConcurrency(), run.variables());
        LocalRun.Result result = contrast.invoke(event, invocations, (invocation, trace) -> { });
        List<Trace> traces = result.traces();
        stdout.println();
        stdout.println("The same " + (invocations == 1 ? "invocation" : invocations + " invocations") + " with " + other
                + ", for comparison:");
        if (!quiet) {
            Invocation last = result.invocations().get(result.invocations().size() - 1);
            show(stdout, last, traces.get(traces.size() - 1));
        }
        TraceFiles.write(traces, dir.resolve("trace.json"));
        HtmlPage.write(traces, dir.resolve("trace.html"), run.step().shortName() + ": " + name);
        long failed = result.invocations().stream().filter(i -> !(i.outcome() instanceof Outcome.Response)).count();
        stdout.println(name + ": " + traces.size() + " trace(s), " + failed + " failed; wrote " + dir.resolve("trace.json"));
    }

    private void show(PrintWriter stdout, Invocation invocation, Trace trace) {
        stdout.println((invocation.coldStart() ? "Cold start" : "Warm start") + ", request " + invocation.requestId());
        stdout.println(describe(invocation.outcome()));
        stdout.println();
        stdout.print(TextReport.render(trace, Terminal.colour(color)));
    }

    /** What the local daemon turned away, if anything, in one line. */
    static void printRejections(PrintWriter stdout, XRayDaemon.Rejections rejected) {
        if (rejected.total() > 0) {
            stdout.printf("X-Ray daemon turned away %d datagram(s): %d garbage, %d oversized (last: %s)%n",
                    rejected.total(), rejected.garbage(), rejected.oversized(), rejected.lastReason());
        }
    }

    /** The first invocation's phases, one per line, "NAME: N ms", for people and benchmarks alike. */
    static void printPhases(PrintWriter stdout, Invocation first) {
        first.snapStart().ifPresent(phases -> {
            if (phases.restore().isPresent()) {
                stdout.println("SnapStart: the runtime client called GET /2018-06-01/runtime/restore/next after its"
                        + " beforeCheckpoint hooks, and the workbench answered it (no memory snapshot is taken here)");
            }
            stdout.printf(Locale.ROOT, "Checkpoint (at publish time in AWS): %.0f ms%n", ms(phases.checkpoint().duration()));
        });
        first.restore().ifPresent(restore -> stdout.printf(Locale.ROOT, "Restore: %.0f ms%n", ms(restore.duration())));
        first.init().ifPresent(init -> stdout.printf(Locale.ROOT, "Init: %.0f ms%n", ms(init.duration())));
        stdout.printf(Locale.ROOT, "First invocation handler: %.0f ms%n", ms(first.handlerTime()));
    }

    private static double ms(Duration duration) {
        return duration.toNanos() / 1e6;
    }

    private static String describe(Outcome outcome) {
        if (outcome instanceof Outcome.Response response) {
            return "Response: " + response.body();
        }
        if (outcome instanceof Outcome.FunctionError error) {
            return "Function error: " + error.errorType() + ": " + error.errorMessage();
        }
        if (outcome instanceof Outcome.InitError error) {
            return "Init error: " + error.errorType() + ": " + error.errorMessage();
        }
        if (outcome instanceof Outcome.HookError error) {
            return error.runtimeErrorType().equals(Outcome.HookError.BEFORE_CHECKPOINT)
                    ? "beforeCheckpoint hook failed (" + error.runtimeErrorType() + ": " + error.errorType()
                            + "); in AWS, publishing the version fails"
                    : "afterRestore hook failed (" + error.runtimeErrorType() + ": " + error.errorType()
                            + "); in AWS, the invocation fails with SnapStartException";
        }
        if (outcome instanceof Outcome.Timeout timeout) {
            return "Timed out after " + timeout.seconds() + " s";
        }
        return "The function's JVM exited with status " + ((Outcome.Crash) outcome).exitCode();
    }

    private String summary(List<Invocation> results, int concurrency) {
        long failed = results.stream().filter(i -> !(i.outcome() instanceof Outcome.Response)).count();
        if (concurrency > 0) {
            // Invocations that share an environment have no cold or warm start of their own.
            double latency = results.stream().mapToDouble(i -> millis(i.received(), i.outcome().at())).average().orElse(0);
            return String.format(Locale.ROOT, "%d invocation(s), %d failed; %d at a time, mean latency %.1f ms"
                    + " (from arrival to answer, waiting for a worker included)", results.size(), failed, concurrency, latency);
        }
        // A cold start: the function's init phase plus its handling of the event.
        double cold = results.stream().filter(Invocation::coldStart)
                .mapToDouble(i -> i.functionTime().toNanos() / 1e6).average().orElse(0);
        double warm = results.stream().filter(i -> !i.coldStart())
                .mapToDouble(i -> millis(i.received(), i.outcome().at())).average().orElse(0);
        return String.format(Locale.ROOT, "%d invocation(s), %d failed; cold start %.0f ms%s",
                results.size(), failed, cold, results.size() > 1 ? String.format(Locale.ROOT, ", warm mean %.1f ms", warm) : "");
    }

    private static double millis(java.time.Instant from, java.time.Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static int exitCode(Step step, List<Invocation> results, PrintWriter err) {
        Outcome last = results.get(results.size() - 1).outcome();
        boolean allAnswered = results.stream().allMatch(i -> i.outcome() instanceof Outcome.Response);
        if (allAnswered) {
            return 0;
        }
        boolean expected = step.failsOnPurpose() && results.stream().allMatch(i ->
                i.outcome() instanceof Outcome.FunctionError error && error.errorMessage().equals("Information"));
        if (expected) {
            err.println("workbench: " + step.shortName() + " fails on purpose (RuntimeException: Information), as the book explains");
            return 0;
        }
        if (results.size() == 1) {
            err.println("workbench: the function failed: " + describe(last) + " (run with --verbose for its log)");
            return 1;
        }
        // Many invocations: one line for each way they failed, with how many failed that way.
        Map<String, List<Invocation>> byFailure = new LinkedHashMap<>();
        results.stream().filter(i -> !(i.outcome() instanceof Outcome.Response))
                .forEach(i -> byFailure.computeIfAbsent(describe(i.outcome()), d -> new ArrayList<>()).add(i));
        byFailure.forEach((failure, invocations) -> err.println("workbench: " + invocations.size() + " of " + results.size()
                + " invocations failed: " + failure + " (first: request " + invocations.get(0).requestId()
                + "; run with --verbose for the function's log)"));
        return 1;
    }

    /** The body the workbench sends to a step's REST API without {@code --event}. */
    static final byte[] DEFAULT_BODY = "{\"greeting\": \"hello from the workbench\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static void requireTraceHeader(String value) {
        try {
            io.github.xrayworkbook.local.xray.TraceHeader.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--trace-header: " + e.getMessage());
        }
    }

    private static byte[] readEvent(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes);
            return bytes;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the event " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The value of {@code --max-concurrency}, or 0 without it. The runtime client stops on a value
     * it cannot parse, after the function's JVM has started: the workbench says so before. The
     * range is Lambda's for PerExecutionEnvironmentMaxConcurrency.
     */
    static int parseMaxConcurrency(String value) {
        if (value == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= 1600) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--max-concurrency takes a whole number from 1 to 1600 (Lambda Managed"
                + " Instances' PerExecutionEnvironmentMaxConcurrency), not '" + value + "'");
    }

    /**
     * The keys Lambda reserves for what it sets itself, which a function's configuration cannot
     * set ("Defined runtime environment variables", Lambda developer guide).
     */
    private static final Set<String> RESERVED = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION",
            "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]+");

    /** The --env values, NAME=VALUE each, as Lambda would accept them in a function's configuration. */
    static Map<String, String> parseVariables(List<String> values) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String value : values) {
            int equals = value.indexOf('=');
            String name = equals < 0 ? value : value.substring(0, equals);
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException("--env " + name + ": Lambda sets it itself and reserves the name;"
                        + " a function's configuration cannot set it");
            }
            if (name.equals("AWS_LAMBDA_MAX_CONCURRENCY")) {
                throw new IllegalArgumentException("--env " + name + ": use --max-concurrency N, which also sends"
                        + " the invocations at once");
            }
            if (equals < 0 || !VARIABLE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("--env takes NAME=VALUE, a name of letters, digits and _ that"
                        + " starts with a letter, not '" + value + "'");
            }
            variables.put(name, value.substring(equals + 1));
        }
        return variables;
    }
}
