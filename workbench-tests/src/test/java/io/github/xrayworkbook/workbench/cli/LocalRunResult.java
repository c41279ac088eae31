package io.github.xrayworkbook.workbench.cli;

import io.github.xrayworkbook.workbench.trace.Trace;
import io.github.xrayworkbook.workbench.trace.TraceFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code workbench run} printed, returned and wrote, for a run made in this JVM.
 *
 * @param out the folder the run wrote into: {@code trace.json}, and the function's log in
 *        {@code function/function.log}
 * @param seconds the run's wall time, from parsing its arguments to writing its files
 */
record LocalRunResult(int exitCode, String stdout, String stderr, List<Trace> traces, Path out, double seconds) {

    static final Path ROOT = Path.of(System.getProperty("workbook.root"));

    /**
     * The function timeout of a test's run unless it sets its own: the workbench's default, 15 s,
     * counts the cold start, which a busy machine running tests side by side can stretch past it.
     * The tests of timeouts set theirs ({@code FaultsIT}).
     */
    static final String TIMEOUT_SECONDS = "120";

    /** Runs {@code workbench run ARGS} against this build's packages, writing into {@code out}. */
    static LocalRunResult run(Path out, String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        List<String> full = new ArrayList<>(List.of("run"));
        full.addAll(List.of(args));
        full.addAll(List.of("--root", ROOT.toString(), "--out", out.toString(), "--color", "never"));
        if (!full.contains("--timeout")) {
            full.addAll(List.of("--timeout", TIMEOUT_SECONDS));
        }
        UnpackedPackages.seed(out, List.of(args));
        long started = System.nanoTime();
        int exit = WorkbenchCommand.execute(full.toArray(String[]::new), new PrintWriter(stdout, true),
                new PrintWriter(stderr, true));
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Trace> traces = Files.exists(out.resolve("trace.json")) ? TraceFiles.read(out.resolve("trace.json")) : List.of();
        return new LocalRunResult(exit, stdout.toString(), stderr.toString(), traces, out, seconds);
    }

    /** The line the function's answer or error is printed on. */
    String outcomeLine() {
        return stdout.lines().filter(l -> l.startsWith("Response: ") || l.startsWith("Function error: ")
                || l.startsWith("Init error: ") || l.startsWith("Timed out") || l.startsWith("The function's JVM"))
                .findFirst().orElse("(none)");
    }
}
