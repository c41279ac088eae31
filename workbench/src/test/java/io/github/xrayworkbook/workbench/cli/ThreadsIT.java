package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step 8's three ways of reading at once inside one invocation, each run one invocation at a time
 * and many at once (Lambda Managed Instances: the runtime client's multi-concurrent mode, the
 * trace id in a thread-local instead of a system property), under the real runtime client. Where
 * each S3 call lands, asserted, and written as the book's table and views.
 */
class ThreadsIT {

    private static final String PACKAGE = "io.github.xrayworkbook.step8.";
    private static final int READS = 3;
    private static final int AT_ONCE = 16;
    private static final int AT_A_TIME = 4;

    @TempDir
    Path out;

    /** Where one trace's S3 calls hang: how many, and how many under the handler's "Read in parallel". */
    private record Calls(int all, int nested) {

        boolean ownAndNested() {
            return all == READS && nested == READS;
        }
    }

    @Test
    void onlyThreadsMadeForTheInvocationKeepEveryCallInItsOwnTraceUnderItsSubsegmentBothWays() throws IOException {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, """
                [cols="3,3,3",options="header"]
                |===
                | Handler | One invocation at a time: where each trace's %d S3 calls hang \
                | %d invocations, %d at a time: traces holding their own %d calls, under their subsegment
                """, READS, AT_ONCE, AT_A_TIME, READS));

        // A pool made once, nothing passed: the pool's threads find no X-Ray entity, and the SDK makes
        // a new one from the trace header it can see: the process-wide one, one at a time.
        List<Calls> shared = one("SharedPoolHandler", "step-8-shared-pool", table);
        assertThat(shared).allSatisfy(calls -> assertThat(calls).isEqualTo(new Calls(READS, 0)));
        List<Calls> sharedAtOnce = atOnce("SharedPoolHandler", table);
        assertThat(sharedAtOnce.stream().filter(Calls::ownAndNested)).isEmpty();
        assertThat(sharedAtOnce.stream().filter(calls -> calls.all() != READS)).isNotEmpty();

        // The entity passed: right one at a time; many at once, the pool's threads read the trace id
        // from the thread-local they inherited from the invocation that made them, and the SDK
        // drops the entity it was given when the two traces differ.
        List<Calls> passed = one("EntityPassingHandler", "step-8-entity-passing", table);
        assertThat(passed).allSatisfy(calls -> assertThat(calls).isEqualTo(new Calls(READS, READS)));
        List<Calls> passedAtOnce = atOnce("EntityPassingHandler", table);
        assertThat(passedAtOnce.stream().filter(calls -> !calls.ownAndNested())).isNotEmpty();

        // Threads made in the invocation inherit its trace id; the entity passed nests the calls.
        List<Calls> perInvocation = one("ThreadPerInvocationHandler", "step-8-thread-per-invocation", table);
        assertThat(perInvocation).allSatisfy(calls -> assertThat(calls).isEqualTo(new Calls(READS, READS)));
        List<Calls> perInvocationAtOnce = atOnce("ThreadPerInvocationHandler", table);
        assertThat(perInvocationAtOnce).hasSize(AT_ONCE).allSatisfy(calls -> assertThat(calls.ownAndNested()).isTrue());

        BookViews.write("step-8-threads.adoc", table.append("|===\n").toString());
    }

    /** Two invocations in a row; keeps the warm one's views for the book. */
    private List<Calls> one(String handler, String view, StringBuilder table) throws IOException {
        LocalRunResult run = LocalRunResult.run(out.resolve(handler + "-one"), "step-8", "--handler",
                PACKAGE + handler + "::handleRequest", "--invocations", "2");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.traces()).hasSize(2);
        BookViews.keep(view, run.traces().get(1));
        List<Calls> calls = run.traces().stream().map(ThreadsIT::calls).toList();
        Calls warm = calls.get(1);
        table.append("| `").append(handler).append("` | ").append(warm.nested() == READS
                ? "in their own trace, under `Read in parallel`" : warm.all() == READS
                ? "in their own trace, under the function segment, not under `Read in parallel`"
                : warm.all() + " in their own trace").append(" | ");
        return calls;
    }

    private List<Calls> atOnce(String handler, StringBuilder table) {
        LocalRunResult run = LocalRunResult.run(out.resolve(handler + "-at-once"), "step-8", "--handler",
                PACKAGE + handler + "::handleRequest", "--invocations", Integer.toString(AT_ONCE),
                "--max-concurrency", Integer.toString(AT_A_TIME), "--quiet");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.traces()).hasSize(AT_ONCE);
        List<Calls> calls = run.traces().stream().map(ThreadsIT::calls).toList();
        List<Integer> counts = new ArrayList<>(calls.stream().map(Calls::all).toList());
        table.append(String.format(Locale.ROOT, "%d of %d (S3 calls per trace: %s)%n",
                calls.stream().filter(Calls::ownAndNested).count(), AT_ONCE,
                counts.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")));
        return calls;
    }

    private static Calls calls(Trace trace) {
        int[] all = {0};
        int[] nested = {0};
        trace.visit(span -> span.children().stream()
                .filter(child -> child.name().equals("S3") && "aws".equals(child.namespace()))
                .forEach(child -> {
                    all[0]++;
                    if (span.name().equals("Read in parallel")) {
                        nested[0]++;
                    }
                }));
        return new Calls(all[0], nested[0]);
    }

    @Test
    void runningTheStepShowsItsOwnTraceThenTheTwoWaysItSetsRight() throws IOException {
        LocalRunResult run = LocalRunResult.run(out.resolve("step"), "step-8");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.traces()).hasSize(1);
        assertThat(calls(run.traces().get(0))).isEqualTo(new Calls(READS, READS));
        String stdout = run.stdout();
        int shared = stdout.indexOf("The same invocation with " + PACKAGE + "SharedPoolHandler::handleRequest, for comparison:");
        int passed = stdout.indexOf("The same invocation with " + PACKAGE + "EntityPassingHandler::handleRequest, for comparison:");
        assertThat(shared).isPositive();
        assertThat(passed).isGreaterThan(shared);
        // Between the two headings, the shared pool's trace: its subsegment, then the calls beside it.
        assertThat(stdout.substring(shared, passed)).containsSubsequence("    Read in parallel", "\n    S3 GetObject");
        assertThat(stdout.substring(passed)).containsSubsequence("    Read in parallel", "\n      S3 GetObject");
        assertThat(calls(io.github.xrayworkbook.workbench.trace.TraceFiles.read(
                run.out().resolve("compare/SharedPoolHandler/trace.json")).get(0))).isEqualTo(new Calls(READS, 0));
        assertThat(stdout).contains("EntityPassingHandler: 1 trace(s), 0 failed; wrote ");

        LocalRunResult alone = LocalRunResult.run(out.resolve("alone"), "step-8", "--no-compare", "--quiet");
        assertThat(alone.stdout()).doesNotContain("for comparison");
    }
}
