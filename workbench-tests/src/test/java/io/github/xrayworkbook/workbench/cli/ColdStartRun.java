package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.workbench.trace.LambdaSegments;
import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.assertj.core.data.Offset;

/**
 * One cold start a table of measurements reads, checked before its numbers go into the table:
 * its trace has the phases the table reads ({@code Init} or {@code Restore}, the invocation's own
 * subsegments, {@code Overhead}) in that order, each positive, and the numbers the run printed
 * agree with its trace and fit in the run's wall time.
 *
 * @param run the run
 * @param startMs the {@code Init} (or {@code Restore}) subsegment, in milliseconds
 * @param firstInvocationMs the first invocation, {@code aws:responseLatency}, in milliseconds
 * @param coldStartMs the cold start the run printed ("cold start N ms"), whole milliseconds
 */
record ColdStartRun(LocalRunResult run, double startMs, double firstInvocationMs, long coldStartMs) {

    /**
     * Checks a run of one invocation.
     *
     * @param startPhase {@code Init}, or {@code Restore} with SnapStart
     * @param invocation the names of the function segment's subsegments between that phase and
     *        {@code Overhead}: what the function itself sent
     */
    static ColdStartRun of(LocalRunResult run, String startPhase, String... invocation) {
        String about = String.join(" ", startPhase, String.join(", ", invocation)) + " in:\n" + run.stdout();
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.traces()).as(about).hasSize(1);
        Trace trace = run.traces().get(0);
        assertThat(trace.roots()).as(about).hasSize(1);
        Span service = trace.roots().get(0);
        assertThat(service.origin()).isEqualTo("AWS::Lambda");
        Span function = service.children().get(0);
        assertThat(function.origin()).isEqualTo("AWS::Lambda::Function");
        List<String> phases = new ArrayList<>(List.of(startPhase));
        phases.addAll(List.of(invocation));
        phases.add("Overhead");
        assertThat(function.children()).as(about).extracting(Span::name).containsExactlyElementsOf(phases);

        Span start = function.children().get(0);
        Span overhead = function.children().get(function.children().size() - 1);
        assertThat(start.emulated()).isTrue();
        assertThat(start.start()).isEqualTo(function.start());
        assertThat(trace.start()).isEqualTo(start.start());
        assertThat(start.duration()).as(startPhase).isPositive();
        double firstInvocation = function.annotations().path(LambdaSegments.RESPONSE_LATENCY).asDouble(-1);
        assertThat(firstInvocation).as("first invocation (ms)").isPositive();
        // The invocation's own subsegments lie between the end of Init (or Restore) and Overhead
        // (give or take a millisecond: the function's JVM and the workbench read the clock apart).
        for (Span sent : function.children().subList(1, function.children().size() - 1)) {
            assertThat(sent.start()).as(sent.name()).isGreaterThanOrEqualTo(start.end() - 1e-3);
            assertThat(sent.end()).as(sent.name()).isLessThanOrEqualTo(overhead.start() + 1e-3);
        }
        // Init (or Restore), then the invocation, then Overhead, within the function segment...
        assertThat(start.end() + firstInvocation / 1000).isLessThanOrEqualTo(overhead.start() + 1e-5);
        assertThat(overhead.end()).isLessThanOrEqualTo(function.end() + 1e-6);
        // ...which, like the service segment, fits in the run's wall time.
        assertThat(service.duration()).isLessThanOrEqualTo(run.seconds());
        assertThat(function.duration()).isLessThanOrEqualTo(service.duration() + 1e-6);

        double startMs = start.duration() * 1000;
        long coldStart = SnapStartIT.millis(run, "\\d+ invocation\\(s\\), \\d+ failed; cold start");
        // Lambda's cold start: Init (or Restore) plus the first invocation, as the run printed it.
        assertThat((double) coldStart).as("cold start printed vs %s + first invocation in the trace", startPhase)
                .isCloseTo(startMs + firstInvocation, Offset.offset(1.0));
        assertThat(SnapStartIT.millis(run, startPhase)).as("%s printed vs traced", startPhase)
                .isCloseTo(Math.round(startMs), Offset.offset(1L));
        assertThat(SnapStartIT.millis(run, "First invocation handler")).as("handler printed vs traced")
                .isCloseTo(Math.round(firstInvocation), Offset.offset(1L));
        return new ColdStartRun(run, startMs, firstInvocation, coldStart);
    }

    /** "Mean of N alternating local runs", or "One local run" when N is 1, for a table's header. */
    static String runs(int runs) {
        return runs == 1 ? "One local run of each" : String.format(Locale.ROOT, "Mean of %d alternating local runs", runs);
    }

    /**
     * How many runs of each a table reports: 1 in {@code ./mvnw verify}, more with
     * {@code -Dworkbook.cost.runs=N} (the {@code book-numbers} profile sets 5); the scripts under
     * {@code scripts/bench-*.sh} run more and print every number.
     */
    static int runsPerTable() {
        int runs = Integer.getInteger("workbook.cost.runs", 1);
        assertThat(runs).as("workbook.cost.runs").isPositive();
        return runs;
    }

    /** The table as the book includes it: a header and the rows, each with a cell per column. */
    static void assertTable(String file, int columns, String... rows) throws IOException {
        List<String> lines = Files.readAllLines(BookViews.FOLDER.resolve(file));
        assertThat(lines.get(0)).startsWith("[cols=").contains("options=\"header\"");
        assertThat(lines.get(1)).isEqualTo("|===");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("|===");
        List<String> body = lines.subList(3, lines.size() - 1);
        assertThat(body).hasSize(rows.length);
        for (int i = 0; i < rows.length; i++) {
            assertThat(body.get(i)).startsWith(rows[i]);
        }
        for (String line : lines.subList(2, lines.size() - 1)) {
            assertThat(line.split(" \\| ", -1)).as(line).hasSize(columns);
            assertThat(line).as(line).doesNotContain("NaN").doesNotContain("Infinity").doesNotContainPattern(" -\\d");
        }
    }
}
