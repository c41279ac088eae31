package io.github.xrayworkbook.workbench.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Runs that more than one test reads, made once per test JVM: a cold start costs seconds, and
 * the same {@code workbench run} with the same arguments gives the same answer and the same trace
 * shape, so {@code WorkbenchIT}, {@code SnapStartIT} and {@code RuntimeClientEquivalenceIT} assert
 * on one run of, say, {@code step-2 --invocations 2} instead of making it each. A test that asks
 * for a run another test is making waits for it (the integration tests run in parallel); a run
 * that failed to run at all fails every test that asks for it.
 *
 * <p>Each run writes into a folder of its own under {@code workbench-tests/target/shared-runs} (the
 * {@code workbench.shared-runs} property), named after its arguments, which its readers may read
 * ({@code function/function.log}) but must not write into.
 */
final class SharedRuns {

    private static final Path FOLDER = Path.of(System.getProperty("workbench.shared-runs",
            System.getProperty("java.io.tmpdir") + "/workbench-shared-runs"));
    private static final ConcurrentMap<List<String>, CompletableFuture<LocalRunResult>> RUNS = new ConcurrentHashMap<>();

    private SharedRuns() {
    }

    /**
     * The arguments of a step's main run, a cold start then a warm one, with the runtime client
     * this machine picks: what {@code WorkbenchIT} (steps 1 to 5) and {@code SnapStartIT} (step 6)
     * assert, and {@code RuntimeClientEquivalenceIT} runs again with the other runtime client. Step
     * 5's is verbose, for its agent's lines in the function's log.
     */
    static String[] coldThenWarm(String step) {
        // A step's own handler only: the handlers some steps name for comparison have tests of their own.
        return step.equals("step-5") ? new String[] {step, "--verbose", "--invocations", "2", "--no-compare"}
                : new String[] {step, "--invocations", "2", "--no-compare"};
    }

    /** Step 2's handler run from step 1's package, which does not hold it. */
    static String[] missingHandler() {
        return new String[] {"step-2", "--package",
                LocalRunResult.ROOT.resolve("step-1-blank/target/step-1-blank-lambda.jar").toString()};
    }

    /** {@code workbench run ARGS}, made by the first test that asks for it. */
    static LocalRunResult of(String... args) {
        CompletableFuture<LocalRunResult> mine = new CompletableFuture<>();
        CompletableFuture<LocalRunResult> theirs = RUNS.putIfAbsent(List.of(args), mine);
        if (theirs != null) {
            try {
                return theirs.join();
            } catch (CompletionException e) {
                throw new IllegalStateException("The shared run " + List.of(args) + " failed", e.getCause());
            }
        }
        try {
            mine.complete(LocalRunResult.run(freshFolder(args), args));
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        }
        return mine.join();
    }

    /** An empty folder named after the arguments, so that a reader can tell which run wrote it. */
    private static Path freshFolder(String... args) {
        String name = String.join(" ", args).replaceAll("[^A-Za-z0-9.=-]+", "_");
        if (name.length() > 80) {
            name = name.substring(0, 60) + "-" + Integer.toHexString(name.hashCode());
        }
        Path folder = FOLDER.resolve(name);
        try {
            if (Files.exists(folder)) {
                try (var paths = Files.walk(folder)) {
                    for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + folder + ": " + e.getMessage(), e);
        }
    }
}
