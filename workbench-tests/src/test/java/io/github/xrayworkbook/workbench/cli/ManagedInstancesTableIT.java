package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.workbench.run.Step;
import io.github.xrayworkbook.workbench.trace.Trace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every step that can run as Lambda Managed Instances run a function, run that way: does each
 * invocation's trace stay its own? The answer per step, asserted, and written as the table the
 * book shows ({@code managed-instances.adoc}).
 */
class ManagedInstancesTableIT {

    private static final int INVOCATIONS = 16;
    private static final int AT_A_TIME = 4;

    @TempDir
    Path out;

    /** What one step's run showed. */
    private record Row(Step step, String tracing, int traces, int distinct, int crossed, int missing, int invalid,
                       int failed) {

        boolean apart() {
            return traces == INVOCATIONS && distinct == INVOCATIONS && crossed == 0 && missing == 0;
        }
    }

    @Test
    void eachWayOfTracingKeepsOrLosesItsTracesAsTheTableSays() throws IOException {
        StringBuilder table = new StringBuilder(String.format("""
                [cols="3,3,2,2,2",options="header"]
                |===
                | Step | Traced by | Each invocation's trace its own (%d invocations, %d at a time) \
                | Traces without the function's own documents | Documents AWS's schema rejects
                """, INVOCATIONS, AT_A_TIME));
        List<Row> rows = new ArrayList<>();
        for (Step step : Step.all(LocalRunResult.ROOT)) {
            if (step.restApi().isPresent()) {
                table.append("| ").append(step.shortName()).append(" | not run this way: it is called through its REST")
                        .append(" API and its queue | | |\n");
                continue;
            }
            List<String> args = new ArrayList<>(List.of(step.shortName(), "--invocations", Integer.toString(INVOCATIONS),
                    "--max-concurrency", Integer.toString(AT_A_TIME), "--quiet", "--no-compare"));
            if (step.snapStart()) {
                args.add("--no-snapstart");
            }
            LocalRunResult run = LocalRunResult.run(out.resolve(step.shortName()), args.toArray(String[]::new));
            assertThat(run.exitCode()).as(step.shortName() + ": " + run.stderr()).isZero();
            Row row = row(step, run);
            rows.add(row);
            table.append(String.format("| %s%s | %s | %s | %d of %d | %d%n", step.shortName(),
                    step.snapStart() ? " (without SnapStart)" : "", row.tracing(),
                    row.apart() ? "yes" : "no", row.missing(), row.traces(), row.invalid()));
        }
        // Step 2's package on the X-Ray SDK before 2.20.0, which reads only the system property and
        // _X_AMZN_TRACE_ID: one at a time it works, many at once it finds no trace id at all.
        Step two = Step.parse("step-2", LocalRunResult.ROOT);
        String older = LocalRunResult.ROOT.resolve("older-xray-sdk/target/older-xray-sdk-lambda.jar").toString();
        LocalRunResult oneAtATime = LocalRunResult.run(out.resolve("older-one"), "step-2", "--package", older,
                "--invocations", "2", "--quiet");
        assertThat(oneAtATime.exitCode()).as(oneAtATime.stderr()).isZero();
        assertThat(count(MISSING, oneAtATime.stdout())).isZero();
        LocalRunResult atOnce = LocalRunResult.run(out.resolve("older"), "step-2", "--package", older, "--invocations",
                Integer.toString(INVOCATIONS), "--max-concurrency", Integer.toString(AT_A_TIME), "--quiet");
        assertThat(atOnce.exitCode()).as(atOnce.stderr()).isZero();
        Row olderRow = row(two, atOnce);
        assertThat(olderRow.missing()).isEqualTo(INVOCATIONS);
        assertThat(olderRow.crossed()).isZero();
        assertThat(atOnce.traces()).allSatisfy(trace -> assertThat(trace.documents()).extracting(d -> d.path("origin").asText())
                .containsExactly("AWS::Lambda", "AWS::Lambda::Function"));
        table.append(String.format("| step-2 built with the X-Ray SDK 2.19.0 (module `older-xray-sdk`) | the X-Ray SDK"
                + " before 2.20.0: right one at a time, %d of 2 traces without its documents | %s | %d of %d | %d%n",
                count(MISSING, oneAtATime.stdout()), olderRow.apart() ? "yes" : "no", olderRow.missing(),
                olderRow.traces(), olderRow.invalid()));
        BookViews.write("managed-instances.adoc", table.append("|===\n").toString());

        // No invocation is lost or crossed, whatever traces it.
        assertThat(rows).isNotEmpty().allSatisfy(row -> {
            assertThat(row.traces()).as(row.step().shortName()).isEqualTo(INVOCATIONS);
            assertThat(row.distinct()).as(row.step().shortName()).isEqualTo(INVOCATIONS);
            assertThat(row.crossed()).as(row.step().shortName()).isZero();
        });
        // The X-Ray SDK 2.21 reads the runtime client's per-thread id, step 4 reads
        // Context.getXrayTraceId() first; the upstream agent's propagator reads neither.
        for (Row row : rows) {
            if (row.step().openTelemetryLayer()) {
                assertThat(row.missing()).as(row.step().shortName()).isEqualTo(INVOCATIONS);
            } else {
                assertThat(row.apart()).as(row.step().shortName()).isTrue();
            }
            // Steps that fail on purpose fail every invocation, the others none.
            assertThat(row.failed()).as(row.step().shortName()).isEqualTo(row.step().failsOnPurpose() ? INVOCATIONS : 0);
        }
    }

    private static final Pattern MISSING = Pattern.compile("; (\\d+) trace\\(s\\) missing SDK documents");
    private static final Pattern INVALID = Pattern.compile("Warning: (\\d+) segment document\\(s\\) do not validate");
    private static final Pattern FAILED = Pattern.compile("(\\d+) invocation\\(s\\), (\\d+) failed");

    private static Row row(Step step, LocalRunResult run) {
        List<Trace> traces = run.traces();
        int crossed = 0;
        boolean[] openTelemetry = {false};
        boolean[] ownDocuments = {false};
        for (Trace trace : traces) {
            boolean elsewhere = trace.documents().stream().anyMatch(d -> !d.path("trace_id").asText().equals(trace.id()));
            if (elsewhere || trace.roots().size() != 1) {
                crossed++;
            }
            trace.visit(span -> {
                // Spans X-Ray converted carry the SDK they came from; the X-Ray SDK's own documents no label.
                openTelemetry[0] |= span.document().path("aws").path("xray").path("sdk").asText().startsWith("opentelemetry");
                ownDocuments[0] |= !span.emulated();
            });
        }
        String tracing = step.openTelemetryLayer() ? "the OpenTelemetry agent, as AWS's layer runs it"
                : openTelemetry[0] ? "OpenTelemetry, by hand"
                : ownDocuments[0] ? "the X-Ray SDK" : "Lambda alone (no SDK in the function)";
        Matcher failed = FAILED.matcher(run.stdout());
        assertThat(failed.find()).as(run.stdout()).isTrue();
        return new Row(step, tracing, traces.size(), (int) traces.stream().map(Trace::id).distinct().count(), crossed,
                count(MISSING, run.stdout()), count(INVALID, run.stdout()), Integer.parseInt(failed.group(2)));
    }

    private static int count(Pattern pattern, String stdout) {
        Matcher matcher = pattern.matcher(stdout);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }
}
