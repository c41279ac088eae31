package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.workbench.trace.LambdaSegments;
import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What moving off the X-Ray SDK costs, measured in this build for the book: the deployment
 * packages' sizes of steps 3 (X-Ray SDK), 4 (OpenTelemetry by hand) and 5 (the layer's agent), and
 * of step 2 (step 5's function on the X-Ray SDK), and their cold starts in alternating runs on this
 * machine, split into the init phase and the first invocation as the trace shows them. It records numbers and asserts none of them (a benchmark, not
 * a timed test: {@code scripts/bench-size.sh} and {@code scripts/bench-workbench.sh} give more
 * runs).
 */
class MigrationCostIT {

    private static final Pattern COLD_START = Pattern.compile("cold start (\\d+) ms");
    private static final List<String> STEPS = List.of("step-2", "step-3", "step-4", "step-5");
    private static final int RUNS = 2;

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
                runs.get(step).add(coldStart(step));
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
        ColdStart two = mean.get("step-2");
        ColdStart three = mean.get("step-3");
        ColdStart four = mean.get("step-4");
        ColdStart five = mean.get("step-5");

        BookViews.write("step-4-cost.adoc", String.format(Locale.ROOT, """
                [cols="2,1,1,1",options="header"]
                |===
                | Measured in this build | Step 3 (X-Ray SDK) | Step 4 (OpenTelemetry) | Step 4 / step 3
                | Deployment package | %,d bytes | %,d bytes | %.2f
                | Cold start, mean of %d alternating local runs | %.0f ms | %.0f ms | %.2f
                |===
                """, sizeThree, sizeFour, (double) sizeFour / sizeThree, RUNS, three.total(), four.total(),
                four.total() / three.total()));
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, """
                [cols="3,2,2,2,2",options="header"]
                |===
                | Mean of %d alternating local runs (ratio to step 3) | Step 2, X-Ray SDK | Step 3, X-Ray SDK \
                | Step 4, OpenTelemetry by hand | Step 5, the layer's agent
                """, RUNS));
        table.append(row("Deployment package", "%,.0f bytes", sizeTwo, sizeThree, sizeFour, sizeFive));
        table.append(row("Init", "%.0f ms", two.init(), three.init(), four.init(), five.init()));
        table.append(row("First invocation", "%.0f ms", two.firstInvocation(), three.firstInvocation(),
                four.firstInvocation(), five.firstInvocation()));
        table.append(row("Cold start, the two together", "%.0f ms", two.total(), three.total(), four.total(), five.total()));
        BookViews.write("step-5-cost.adoc", table.append("|===\n").toString());
        assertThat(BookViews.FOLDER.resolve("step-4-cost.adoc")).isNotEmptyFile();
        assertThat(BookViews.FOLDER.resolve("step-5-cost.adoc")).isNotEmptyFile();
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
    private ColdStart coldStart(String step) {
        LocalRunResult run = LocalRunResult.run(out.resolve(step), step, "--quiet");
        Matcher matcher = COLD_START.matcher(run.stdout());
        assertThat(matcher.find()).as(run.stdout()).isTrue();
        Trace trace = run.traces().get(0);
        Span function = trace.roots().get(0).children().stream()
                .filter(span -> span.origin().equals("AWS::Lambda::Function")).findFirst().orElseThrow();
        Span init = function.children().stream().filter(span -> span.name().equals("Init")).findFirst().orElseThrow();
        double firstInvocation = function.annotations().path(LambdaSegments.RESPONSE_LATENCY).asDouble();
        return new ColdStart(Double.parseDouble(matcher.group(1)), init.duration() * 1000, firstInvocation);
    }
}
