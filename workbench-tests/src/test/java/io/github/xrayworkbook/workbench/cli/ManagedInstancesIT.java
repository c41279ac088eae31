package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many invocations at once in one execution environment, as Lambda Managed Instances run them:
 * the real runtime client in its multi-concurrent mode ({@code --max-concurrency}), its workers
 * polling the Runtime API side by side, each invocation with its own trace header.
 */
class ManagedInstancesIT {

    @TempDir
    Path out;

    @Test
    void aHundredInvocationsEightAtATimeLoseNoneAndKeepTheirOwnTraces() {
        LocalRunResult run = LocalRunResult.run(out, "step-2", "--invocations", "100", "--max-concurrency", "8",
                "--quiet");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<Trace> traces = run.traces();
        assertThat(traces).hasSize(100);
        assertThat(traces.stream().map(Trace::id).distinct()).hasSize(100);
        for (Trace trace : traces) {
            assertThat(trace.documents()).as(trace.id())
                    .allSatisfy(document -> assertThat(document.path("trace_id").asText()).isEqualTo(trace.id()));
            // One tree: the X-Ray SDK's documents hang under the function segment of their own
            // invocation, whose id the trace header carried; a crossed header would leave them
            // as a second root here and an S3 call short in another trace.
            assertThat(trace.roots()).as(trace.id()).hasSize(1);
            assertThat(s3Calls(trace)).as(trace.id()).hasSize(1);
        }
        assertThat(run.stdout()).contains("100 invocation(s), 0 failed; 8 at a time, mean latency ")
                .doesNotContain("Function error").doesNotContain("Timed out");
    }

    /** The S3 calls an instrumentation recorded (namespace aws), not the S3 node X-Ray infers from one. */
    static List<Span> s3Calls(Trace trace) {
        List<Span> calls = new ArrayList<>();
        trace.visit(span -> {
            if (span.name().equals("S3") && "aws".equals(span.namespace())) {
                calls.add(span);
            }
        });
        return calls;
    }

    @Test
    void aConcurrencyTheRuntimeClientCannotTakeIsOneLineBeforeAnythingStarts() {
        for (String wrong : List.of("0", "1601", "eight")) {
            LocalRunResult run = LocalRunResult.run(out, "step-2", "--max-concurrency", wrong);

            assertThat(run.exitCode()).isNotZero();
            assertThat(run.stderr().lines().toList()).containsExactly("workbench: --max-concurrency takes a whole number"
                    + " from 1 to 1600 (Lambda Managed Instances' PerExecutionEnvironmentMaxConcurrency), not '" + wrong + "'");
        }
        LocalRunResult snapStart = LocalRunResult.run(out, "step-6", "--max-concurrency", "4");
        assertThat(snapStart.stderr().lines().toList()).containsExactly("workbench: --max-concurrency runs the function"
                + " as Lambda Managed Instances do, and no AWS page says SnapStart runs there: add --no-snapstart");
    }
}
