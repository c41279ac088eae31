package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

/**
 * What moving off the X-Ray SDK costs, measured in this build for the book: the deployment
 * packages' sizes of steps 3 (X-Ray SDK), 4 (OpenTelemetry by hand) and 5 (the layer's agent), and
 * of step 2 (step 5's function on the X-Ray SDK), and their cold starts on this machine, split into
 * the init phase and the first invocation as the trace shows them. One run of each in
 * {@code ./mvnw verify}, alternating runs with {@code -Dworkbook.cost.runs=N}
 * ({@link ColdStartRun#runsPerTable}); the table says how many. It is a benchmark, not a timed
 * test: no number is compared with a limit, but every run is checked before its numbers are used
 * ({@link ColdStartRun}), and the packages against what the steps are. {@code scripts/bench-size.sh}
 * and {@code scripts/bench-workbench.sh} give more runs. It runs alone, with no other test beside
 * it.
 */
@Isolated("it measures cold starts")
class MigrationCostIT {

    private static final List<String> STEPS = List.of("step-2", "step-3", "step-4", "step-5");
    /** What each step's first invocation sends, between Init and Overhead. */
    private static final Map<String, String[]> INVOCATION = Map.of(
            "step-2", new String[] {"S3"},
            "step-3", new String[] {"S3", "Throwing exception"},
            "step-4", new String[] {"xray-workbook-step-4"},
            "step-5", new String[] {"xray-workbook-step-5"});
    private static final int RUNS = ColdStartRun.runsPerTable();

    @TempDir
    Path out;

    /** One cold start: the function's own time, its init phase and its first invocation, in ms. */
    private record ColdStart(double total, double init, double firstInvocation) {
    }

    @Test
    void writesTheSizesAndColdStartsOfStepsThreeFourAndFive() throws IOException {
        Map<String, List<ColdStart>> runs = new LinkedHashMap<>();
        STEPS.forEach(step -> runs.put(step, new ArrayList<>()));
        for (int i = 0; i < RUNS; i++) {
            for (String step : STEPS) {
                runs.get(step).add(coldStart(step, i));
            }
        }
        Map<String, ColdStart> mean = new LinkedHashMap<>();
        runs.forEach((step, starts) -> mean.put(step, new ColdStart(
                starts.stream().mapToDouble(ColdStart::total).average().orElseThrow(),
                starts.stream().mapToDouble(ColdStart::init).average().orElseThrow(),
                starts.stream().mapToDouble(ColdStart::firstInvocation).average().orElseThrow())));
        long sizeTwo = size("step-2-s3-patched");
        long sizeThree = size("step-3-subsegments");
        long sizeFour = size("step-4-opentelemetry");
        long sizeFive = size("step-5-zero-code");
        // Step 3 is step 2 plus a subsegment; step 5 is step 2's function without the X-Ray SDK.
        assertThat(sizeTwo).isPositive().isLessThan(sizeThree).isGreaterThan(sizeFive);
        assertThat(sizeFour).isPositive();
        ColdStart two = mean.get("step-2");
        ColdStart three = mean.get("step-3");
        ColdStart four = mean.get("step-4");
        ColdStart five = mean.get("step-5");

        BookViews.write("step-4-cost.adoc", String.format(Locale.ROOT, """
                [cols="2,1,1,1",options="header"]
                |===
                | Measured in this build | Step 3 (X-Ray SDK) | Step 4 (OpenTelemetry) | Step 4 / step 3
                | Deployment package | %,d bytes | %,d bytes | %.2f
                | Cold start, %s | %.0f ms | %.0f ms | %.2f
                |===
                """, sizeThree, sizeFour, (double) sizeFour / sizeThree,
                RUNS == 1 ? "one local run" : String.format(Locale.ROOT, "mean of %d alternating local runs", RUNS),
                three.total(), four.total(), four.total() / three.total()));
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, """
                [cols="3,2,2,2,2",options="header"]
                |===
                | %s (ratio to step 3) | Step 2, X-Ray SDK | Step 3, X-Ray SDK \
                | Step 4, OpenTelemetry by hand | Step 5, the layer's agent
                """, ColdStartRun.runs(RUNS)));
        table.append(row("Deployment package", "%,.0f bytes", sizeTwo, sizeThree, sizeFour, sizeFive));
        table.append(row("Init", "%.0f ms", two.init(), three.init(), four.init(), five.init()));
        table.append(row("First invocation", "%.0f ms", two.firstInvocation(), three.firstInvocation(),
                four.firstInvocation(), five.firstInvocation()));
        table.append(row("Cold start, the two together", "%.0f ms", two.total(), three.total(), four.total(), five.total()));
        BookViews.write("step-5-cost.adoc", table.append("|===\n").toString());
        ColdStartRun.assertTable("step-4-cost.adoc", 4, "| Deployment package | ", "| Cold start, ");
        ColdStartRun.assertTable("step-5-cost.adoc", 5, "| Deployment package | ", "| Init | ", "| First invocation | ",
                "| Cold start, the two together | ");
    }

    /** One row: steps 2 to 5, each but step 3 with its ratio to step 3. */
    private static String row(String what, String format, double two, double three, double four, double five) {
        StringBuilder row = new StringBuilder("| ").append(what);
        double[] values = {two, three, four, five};
        for (int i = 0; i < values.length; i++) {
            row.append(" | ").append(String.format(Locale.ROOT, format, values[i]));
            if (i != 1) {
                row.append(String.format(Locale.ROOT, " (%.2f)", values[i] / three));
            }
        }
        return row.append('\n').toString();
    }

    private static long size(String module) throws IOException {
        return Files.size(LocalRunResult.ROOT.resolve(module).resolve("target").resolve(module + "-lambda.jar"));
    }

    /** The workbench's cold start, and its two parts as the trace records them. */
    private ColdStart coldStart(String step, int run) {
        ColdStartRun measured = ColdStartRun.of(LocalRunResult.run(out.resolve(step + "-" + run), step, "--quiet"),
                "Init", INVOCATION.get(step));
        return new ColdStart(measured.coldStartMs(), measured.startMs(), measured.firstInvocationMs());
    }
}
