package io.github.xrayworkbook.workbench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.workbench.cli.WorkbenchCommand;
import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import io.github.xrayworkbook.workbench.trace.TraceFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functions that time out or whose JVM dies: one line, a non-zero exit, a faulted trace, nothing left
 * running; alike under the native and the portable runtime client.
 */
class FaultsIT {

    private static final Path ROOT = Path.of(System.getProperty("workbook.root"));

    @TempDir
    Path dir;

    private Path faultyPackage;

    @BeforeEach
    void packageTheFaultyHandlers() throws IOException {
        faultyPackage = dir.resolve("faults.jar");
        try (ZipOutputStream jar = new ZipOutputStream(Files.newOutputStream(faultyPackage))) {
            for (Class<?> handler : List.of(SleepingHandler.class, ExitingHandler.class, OneFailsOneHangsHandler.class)) {
                String entry = handler.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new ZipEntry(entry));
                try (var in = handler.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "portable"})
    void aFunctionThatRunsPastItsTimeoutIsStoppedAndReported(String runtimeClient) {
        long started = System.nanoTime();
        Result result = run(SleepingHandler.class, "--timeout", "1", "--runtime-client", runtimeClient);

        assertThat((System.nanoTime() - started) / 1e9).isLessThan(15);
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stderr().lines()).singleElement().asString()
                .isEqualTo("workbench: the function failed: Timed out after 1 s (run with --verbose for its log)");
        Span function = result.trace().roots().get(0).children().get(0);
        assertThat(function.status()).isEqualTo(Span.Status.FAULT);
        assertThat(function.exceptions().get(0).path("message").asText()).isEqualTo("Task timed out after 1.00 seconds");
        assertNoFunctionJvmLeft();
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "portable"})
    void aFunctionWhoseJvmDiesIsReported(String runtimeClient) {
        // A timeout far beyond any cold start: the JVM must exit before it, even on a busy machine.
        Result result = run(ExitingHandler.class, "--runtime-client", runtimeClient, "--timeout", "120");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stderr().lines()).singleElement().asString()
                .isEqualTo("workbench: the function failed: The function's JVM exited with status 3"
                        + " (run with --verbose for its log)");
        Span function = result.trace().roots().get(0).children().get(0);
        assertThat(function.exceptions().get(0).path("type").asText()).isEqualTo("Runtime.ExitError");
        assertNoFunctionJvmLeft();
    }

    /**
     * Many invocations at once in one environment, as on Lambda Managed Instances: one fails, one
     * runs past its timeout; the others answer, and every invocation keeps a trace of its own with
     * its own outcome. The timed-out one fails alone and its handler is not stopped.
     */
    @Test
    void manyAtOnceOneFailingAndOneTimingOutLeaveTheOthersAndEachTraceItsOwn() throws IOException {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int exit = WorkbenchCommand.execute(new String[] {"run", "step-1", "--root", ROOT.toString(),
            "--out", dir.resolve("out").toString(), "--package", faultyPackage.toString(),
            "--handler", OneFailsOneHangsHandler.class.getName() + "::handleRequest", "--invocations", "8",
            "--max-concurrency", "4", "--timeout", "2", "--quiet", "--color", "never"},
                new PrintWriter(stdout, true), new PrintWriter(stderr, true));

        assertThat(exit).isEqualTo(1);
        assertThat(stdout.toString()).contains("8 invocation(s), 2 failed; 4 at a time").contains("Queued: 4 of 8"
                + " invocations found all 4 workers busy and waited for one; Lambda Managed Instances turn such a"
                + " request away from a busy environment instead");
        List<String> lines = stderr.toString().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("workbench: 1 of 8 invocations failed:"
                + " Function error: java.lang.IllegalStateException: the first invocation fails on purpose (first: request "));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(
                "workbench: 1 of 8 invocations failed: Timed out after 2 s (first: request "));

        List<Trace> traces = TraceFiles.read(dir.resolve("out/trace.json"));
        assertThat(traces).hasSize(8);
        assertThat(traces.stream().map(Trace::id).distinct()).hasSize(8);
        List<Span> functions = traces.stream().map(trace -> trace.roots().get(0).children().get(0)).toList();
        assertThat(traces).allSatisfy(trace -> assertThat(trace.documents())
                .allSatisfy(d -> assertThat(d.path("trace_id").asText()).isEqualTo(trace.id())));
        assertThat(functions.stream().filter(f -> f.status() == Span.Status.OK)).hasSize(6);
        assertThat(functions.stream().filter(f -> f.status() == Span.Status.FAULT)
                .map(f -> f.exceptions().get(0).path("message").asText()))
                .containsExactlyInAnyOrder("the first invocation fails on purpose", "Task timed out after 2.00 seconds");
        // The hung handler was left running until the run ended; then nothing is left.
        assertThat(Files.readString(dir.resolve("out/function/function.log")))
                .contains("timed out after 2 s; its handler runs on, as on Lambda Managed Instances");
        assertNoFunctionJvmLeft();
    }

    record Result(int exit, String stderr, Trace trace) {
    }

    private Result run(Class<?> handler, String... more) {
        StringWriter stderr = new StringWriter();
        List<String> args = new java.util.ArrayList<>(List.of("run", "step-1", "--root", ROOT.toString(),
                "--out", dir.resolve("out").toString(), "--package", faultyPackage.toString(),
                "--handler", handler.getName() + "::handleRequest", "--quiet", "--color", "never"));
        args.addAll(List.of(more));
        int exit = WorkbenchCommand.execute(args.toArray(String[]::new),
                new PrintWriter(OutputStream.nullOutputStream()), new PrintWriter(stderr, true));
        List<Trace> traces = TraceFiles.read(dir.resolve("out/trace.json"));
        assertThat(traces).hasSize(1);
        return new Result(exit, stderr.toString(), traces.get(0));
    }

    private void assertNoFunctionJvmLeft() {
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))).isEmpty();
    }
}
