package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

/**
 * What priming and SnapStart change, measured in this build for the book's step 6 chapter: the
 * first invocation's handler time and the cold start of step 2, of step 2's function primed in its
 * constructor, and of step 6 restored under SnapStart, on this machine. One run of each in
 * {@code ./mvnw verify}, alternating runs with {@code -Dworkbook.cost.runs=N}
 * ({@link ColdStartRun#runsPerTable}); the table says how many. It is a benchmark, not a timed
 * test: no number is compared with a limit, but every run is checked before its numbers are used
 * ({@link ColdStartRun}): the trace has the phases the table reads, the printed numbers agree with
 * it, and the checkpoint, which no trace shows, is positive and fits in the run's wall time.
 * {@code scripts/bench-snapstart.sh} gives more runs. It runs alone, with no other test beside it.
 */
@Isolated("it measures cold starts")
class SnapStartCostIT {

    private static final int RUNS = ColdStartRun.runsPerTable();

    @TempDir
    Path out;

    /** The three ways to run step 2's function, as {@code workbench run} arguments. */
    private enum Variant {
        STEP_2("step-2", "--no-snapstart"),
        CONSTRUCTOR_PRIMED("step-6", "--no-snapstart", "--handler",
                "io.github.xrayworkbook.step6.ConstructorPrimedHandler::handleRequest"),
        SNAPSTART("step-6", "--snapstart");

        final String[] args;

        Variant(String... args) {
            this.args = args;
        }
    }

    /** One run's numbers, in milliseconds; {@code start} is init or, with SnapStart, the restore. */
    private record Measured(long handler, long start, long coldStart, long checkpoint) {
    }

    @Test
    void writesTheFirstInvocationsOfStepTwoPrimedAndRestored() throws IOException {
        List<List<Measured>> runs = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < RUNS; i++) {
            for (Variant variant : Variant.values()) {
                runs.get(variant.ordinal()).add(measure(variant, i));
            }
        }
        double[] handler = new double[3];
        double[] start = new double[3];
        double[] cold = new double[3];
        for (Variant variant : Variant.values()) {
            List<Measured> measured = runs.get(variant.ordinal());
            handler[variant.ordinal()] = measured.stream().mapToLong(Measured::handler).average().orElseThrow();
            start[variant.ordinal()] = measured.stream().mapToLong(Measured::start).average().orElseThrow();
            cold[variant.ordinal()] = measured.stream().mapToLong(Measured::coldStart).average().orElseThrow();
        }
        double checkpoint = runs.get(Variant.SNAPSTART.ordinal()).stream().mapToLong(Measured::checkpoint).average().orElseThrow();

        BookViews.write("step-6-cost.adoc", String.format(Locale.ROOT, """
                [cols="3,2,2,2",options="header"]
                |===
                | %s | Step 2 | Step 2 primed in its constructor | Step 6, restored (SnapStart)
                | First invocation's handler | %.0f ms | %.0f ms (%.2f) | %.0f ms (%.2f)
                | Init, or with SnapStart Restore | %.0f ms (Init) | %.0f ms (Init) | %.0f ms (Restore)
                | Cold start: the two rows above | %.0f ms | %.0f ms (%.2f) | %.0f ms (%.2f)
                | Checkpoint: init and `beforeCheckpoint`, at publish time in AWS | - | - | %.0f ms
                |===
                """, ColdStartRun.runs(RUNS),
                handler[0], handler[1], handler[1] / handler[0], handler[2], handler[2] / handler[0],
                start[0], start[1], start[2],
                cold[0], cold[1], cold[1] / cold[0], cold[2], cold[2] / cold[0],
                checkpoint));
        ColdStartRun.assertTable("step-6-cost.adoc", 4, "| First invocation's handler | ",
                "| Init, or with SnapStart Restore | ", "| Cold start: the two rows above | ", "| Checkpoint: ");
    }

    private Measured measure(Variant variant, int run) {
        List<String> args = new ArrayList<>(List.of(variant.args));
        args.add("--quiet");
        LocalRunResult result = LocalRunResult.run(out.resolve(variant.name() + "-" + run), args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        boolean snapStart = variant == Variant.SNAPSTART;
        // The trace has Init (Restore with SnapStart), the S3 read and Overhead, and agrees with the
        // numbers printed below.
        ColdStartRun checked = ColdStartRun.of(result, snapStart ? "Restore" : "Init", "S3");
        Measured measured = new Measured(SnapStartIT.millis(result, "First invocation handler"),
                SnapStartIT.millis(result, snapStart ? "Restore" : "Init"),
                SnapStartIT.millis(result, "1 invocation\\(s\\), 0 failed; cold start"),
                snapStart ? SnapStartIT.millis(result, "Checkpoint \\(at publish time in AWS\\)") : 0);
        assertThat(measured.coldStart()).isEqualTo(checked.coldStartMs());
        assertThat(measured.handler()).as("first invocation's handler").isPositive();
        assertThat(measured.start()).as(snapStart ? "Restore" : "Init").isPositive();
        if (snapStart) {
            // The checkpoint (init and beforeCheckpoint) is at publish time in AWS: before the
            // trace, which starts with Restore, and with it within the run's wall time.
            assertThat(measured.checkpoint()).as("checkpoint").isPositive();
            assertThat(result.stdout()).doesNotContainPattern("(?m)^Init: ");
            assertThat(measured.checkpoint() + measured.coldStart()).isLessThanOrEqualTo(Math.round(result.seconds() * 1000) + 2);
        } else {
            assertThat(result.stdout()).doesNotContain("Checkpoint").doesNotContainPattern("(?m)^Restore: ");
        }
        return measured;
    }
}
