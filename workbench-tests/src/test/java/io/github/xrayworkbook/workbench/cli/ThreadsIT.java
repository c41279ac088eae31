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
    private static final String FAN_OUT = "Read in parallel";
    private static final int READS = 3;
    private static final int AT_ONCE = 16;
    private static final int AT_A_TIME = 4;

    @TempDir
    Path out;

    /** Where one trace's S3 calls hang: how many, and how many under the span they were made in. */
    private record Calls(int all, int nested) {

        boolean ownAndNested() {
            return all == READS && nested == READS;
        }
    }

    /**
     * One way of reading at once: the step whose settings it runs with, the package if not the
     * step's own, its handler, and the span its calls belong under.
     */
    private record Variant(String step, String jar, String handler, String parent, List<String> variables) {

        Variant(String step, String jar, String handler, String parent) {
            this(step, jar, handler, parent, List.of());
        }

        static Variant xray(String handler) {
            return new Variant("step-8", null, PACKAGE + handler + "::handleRequest", FAN_OUT);
        }

        String label() {
            return "`" + handler.substring(PACKAGE.length(), handler.indexOf("::")) + "`"
                    + variables.stream().map(v -> " with `" + v + "`").reduce("", String::concat);
        }

        List<String> args(String... more) {
            List<String> args = new ArrayList<>(List.of(step, "--handler", handler));
            if (jar != null) {
                args.addAll(List.of("--package", LocalRunResult.ROOT.resolve(jar).toString()));
            }
            variables.forEach(variable -> args.addAll(List.of("--env", variable)));
            args.addAll(List.of(more));
            return args;
        }
    }

    @Test
    void onlyThreadsMadeForTheInvocationKeepEveryCallInItsOwnTraceUnderItsSubsegmentBothWays() throws IOException {
        StringBuilder table = header();

        // A pool made once, nothing passed: the pool's threads find no X-Ray entity, and the SDK makes
        // a new one from the trace header it can see: the process-wide one, one at a time.
        Variant sharedPool = Variant.xray("SharedPoolHandler");
        List<Calls> shared = one(sharedPool, "step-8-shared-pool", table).calls();
        assertThat(shared).allSatisfy(calls -> assertThat(calls).isEqualTo(new Calls(READS, 0)));
        List<Calls> sharedAtOnce = atOnce(sharedPool, "step-8-shared-pool", table).calls();
        assertThat(sharedAtOnce.stream().filter(Calls::ownAndNested)).isEmpty();
        assertThat(sharedAtOnce.stream().filter(calls -> calls.all() != READS)).isNotEmpty();

        // The entity passed: right one at a time; many at once, the pool's threads read the trace id
        // from the thread-local they inherited from the invocation that made them, and the SDK
        // drops the entity it was given when the two traces differ.
        Variant entityPassing = Variant.xray("EntityPassingHandler");
        List<Calls> passed = one(entityPassing, "step-8-entity-passing", table).calls();
        assertThat(passed).allSatisfy(calls -> assertThat(calls).isEqualTo(new Calls(READS, READS)));
        List<Calls> passedAtOnce = atOnce(entityPassing, "step-8-entity-passing", table).calls();
        assertThat(passedAtOnce.stream().filter(calls -> !calls.ownAndNested())).isNotEmpty();

        // Threads made in the invocation inherit its trace id; the entity passed nests the calls.
        Variant perInvocation = Variant.xray("ThreadPerInvocationHandler");
        List<Calls> made = one(perInvocation, "step-8-thread-per-invocation", table).calls();
        assertThat(made).allSatisfy(calls -> assertThat(calls).isEqualTo(new Calls(READS, READS)));
        List<Calls> madeAtOnce = atOnce(perInvocation, "step-8-thread-per-invocation", table).calls();
        assertThat(madeAtOnce).hasSize(AT_ONCE).allSatisfy(calls -> assertThat(calls.ownAndNested()).isTrue());

        BookViews.write("step-8-threads.adoc", table.append("|===\n").toString());
    }

    /**
     * The same reads on OpenTelemetry: by hand, step 4's way, on a shared pool with nothing passed
     * and on the same pool wrapped by Context.taskWrapping; and with no code under the agent as
     * AWS's layer runs it.
     */
    @Test
    void openTelemetryKeepsTheCallsWhereTheExecutorCarriesTheContext() throws IOException {
        StringBuilder table = header();
        String jar = "threads-opentelemetry/target/threads-opentelemetry-lambda.jar";

        // Nothing carries the context into the pool: each call is a root span, a trace of its own,
        // whose id the local daemon turns away as not X-Ray's.
        Variant bare = new Variant("step-8", jar, PACKAGE + "opentelemetry.SharedPoolHandler::handleRequest", FAN_OUT);
        Run bareOne = one(bare, "step-8-otel-shared-pool", table);
        assertThat(bareOne.calls()).allSatisfy(calls -> assertThat(calls).isEqualTo(new Calls(0, 0)));
        assertThat(bareOne.stdout()).contains("span \"S3.GetObject\": trace id");
        Run bareAtOnce = atOnce(bare, "step-8-otel-shared-pool", table);
        assertThat(bareAtOnce.calls()).allSatisfy(calls -> assertThat(calls).isEqualTo(new Calls(0, 0)));

        // The wrapped pool hands each task the context it was submitted in: right both ways, though
        // the pool is shared and made once.
        Variant wrapped = new Variant("step-8", jar, PACKAGE + "opentelemetry.ContextWrappingHandler::handleRequest", FAN_OUT);
        assertThat(one(wrapped, "step-8-otel-wrapped", table).calls())
                .allSatisfy(calls -> assertThat(calls).isEqualTo(new Calls(READS, READS)));
        assertThat(atOnce(wrapped, "step-8-otel-wrapped", table).calls()).hasSize(AT_ONCE)
                .allSatisfy(calls -> assertThat(calls.ownAndNested()).isTrue());

        // No code, under the agent with the layer's settings (run as step 5 runs): the layer switches
        // on only a few of the agent's instrumentations, and the executors' is not one of them.
        String agentFunction = io.github.xrayworkbook.workbench.run.Step.parse("step-5", LocalRunResult.ROOT).functionName();
        Variant agent = new Variant("step-5", "threads-zero-code/target/threads-zero-code-lambda.jar",
                PACKAGE + "zerocode.ZeroCodeSharedPoolHandler::handleRequest", agentFunction);
        Run agentOne = one(agent, "step-8-agent-shared-pool", table);
        assertThat(agentOne.calls()).allSatisfy(calls -> assertThat(calls).isEqualTo(new Calls(0, 0)));
        assertThat(agentOne.stdout()).contains("span \"S3.GetObject\": trace id");
        // The agent did trace the handler: its span is there, under the function segment.
        assertThat(agentOne.traces()).allSatisfy(trace -> assertThat(functionSpans(trace)).contains(agentFunction));
        Run agentAtOnce = atOnce(agent, "step-8-agent-shared-pool", table);
        assertThat(agentAtOnce.calls()).allSatisfy(calls -> assertThat(calls).isEqualTo(new Calls(0, 0)));

        // The same package with the one variable that switches the executors' instrumentation back
        // on (the layer's script keeps a value the function set): right one at a time; many at once
        // the upstream propagator finds no trace header at all, as for step 5.
        Variant executors = new Variant(agent.step(), agent.jar(), agent.handler(), agent.parent(),
                List.of("OTEL_INSTRUMENTATION_EXECUTORS_ENABLED=true"));
        Run executorsOne = one(executors, "step-8-agent-executors", table);
        assertThat(executorsOne.calls()).allSatisfy(calls -> assertThat(calls).isEqualTo(new Calls(READS, READS)));
        assertThat(executorsOne.stdout()).doesNotContain("turned away");
        assertThat(atOnce(executors, "step-8-agent-executors", table).calls())
                .allSatisfy(calls -> assertThat(calls).isEqualTo(new Calls(0, 0)));

        BookViews.write("step-8-threads-opentelemetry.adoc", table.append("|===\n").toString());
    }

    private static StringBuilder header() {
        return new StringBuilder(String.format(Locale.ROOT, """
                [cols="3,3,3",options="header"]
                |===
                | Handler | One invocation at a time: where each trace's %d S3 calls hang \
                | %d invocations, %d at a time: traces holding their own %d calls, under the span they were made in
                """, READS, AT_ONCE, AT_A_TIME, READS));
    }

    /** A run's traces, their calls and what it printed. */
    private record Run(List<Trace> traces, List<Calls> calls, String stdout) {
    }

    /** Two invocations in a row; keeps the warm one's views for the book. */
    private Run one(Variant variant, String view, StringBuilder table) throws IOException {
        LocalRunResult run = LocalRunResult.run(out.resolve(view + "-one"), variant.args("--invocations", "2")
                .toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.traces()).hasSize(2);
        BookViews.keep(view, run.traces().get(1));
        List<Calls> calls = run.traces().stream().map(trace -> calls(trace, variant.parent())).toList();
        Calls warm = calls.get(1);
        table.append("| ").append(variant.label()).append(" | ").append(warm.nested() == READS
                ? "in their own trace, under `" + variant.parent() + "`" : warm.all() == READS
                ? "in their own trace, under the function segment, not under `" + variant.parent() + "`"
                : warm.all() == 0 ? "none in the invocation's trace: each began a trace of its own"
                : warm.all() + " in their own trace").append(" | ");
        return new Run(run.traces(), calls, run.stdout());
    }

    private Run atOnce(Variant variant, String view, StringBuilder table) {
        LocalRunResult run = LocalRunResult.run(out.resolve(view + "-at-once"), variant.args("--invocations",
                Integer.toString(AT_ONCE), "--max-concurrency", Integer.toString(AT_A_TIME), "--quiet").toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.traces()).hasSize(AT_ONCE);
        List<Calls> calls = run.traces().stream().map(trace -> calls(trace, variant.parent())).toList();
        List<Integer> counts = new ArrayList<>(calls.stream().map(Calls::all).toList());
        table.append(String.format(Locale.ROOT, "%d of %d (S3 calls per trace: %s)%n",
                calls.stream().filter(Calls::ownAndNested).count(), AT_ONCE,
                counts.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")));
        return new Run(run.traces(), calls, run.stdout());
    }

    private static Calls calls(Trace trace) {
        return calls(trace, FAN_OUT);
    }

    private static Calls calls(Trace trace, String parent) {
        int[] all = {0};
        int[] nested = {0};
        trace.visit(span -> span.children().stream()
                .filter(child -> child.name().equals("S3") && "aws".equals(child.namespace()))
                .forEach(child -> {
                    all[0]++;
                    // Lambda's segments carry an origin; the function's own spans none.
                    if (span.name().equals(parent) && span.origin().isEmpty()) {
                        nested[0]++;
                    }
                }));
        return new Calls(all[0], nested[0]);
    }

    /** The names of the function's own spans, not Lambda's segments. */
    private static List<String> functionSpans(Trace trace) {
        List<String> names = new ArrayList<>();
        trace.visit(span -> {
            if (span.origin().isEmpty()) {
                names.add(span.name());
            }
        });
        return names;
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
