package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What moving step 3 to OpenTelemetry costs, measured in this build for the book's step 4
 * chapter: the two deployment packages' sizes, and their cold starts in alternating runs on this
 * machine. It records numbers and asserts none of them (a benchmark, not a timed test:
 * {@code scripts/bench-size.sh} and {@code scripts/bench-workbench.sh} give more runs).
 */
class MigrationCostIT {

    private static final Path VIEWS = Path.of(System.getProperty("workbench.views"));
    private static final Pattern COLD_START = Pattern.compile("cold start (\\d+) ms");
    private static final int RUNS = 2;

    @TempDir
    Path out;

    @Test
    void writesTheSizesAndColdStartsOfStepsThreeAndFour() throws IOException {
        long sizeThree = Files.size(LocalRunResult.ROOT.resolve("step-3-subsegments/target/step-3-subsegments-lambda.jar"));
        long sizeFour = Files.size(LocalRunResult.ROOT.resolve("step-4-opentelemetry/target/step-4-opentelemetry-lambda.jar"));
        List<Long> coldThree = new ArrayList<>();
        List<Long> coldFour = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            coldThree.add(coldStart("step-3"));
            coldFour.add(coldStart("step-4"));
        }
        double meanThree = coldThree.stream().mapToLong(Long::longValue).average().orElseThrow();
        double meanFour = coldFour.stream().mapToLong(Long::longValue).average().orElseThrow();

        Files.createDirectories(VIEWS);
        Files.writeString(VIEWS.resolve("step-4-cost.adoc"), String.format(Locale.ROOT, """
                [cols="2,1,1,1",options="header"]
                |===
                | Measured in this build | Step 3 (X-Ray SDK) | Step 4 (OpenTelemetry) | Step 4 / step 3
                | Deployment package | %,d bytes | %,d bytes | %.2f
                | Cold start, mean of %d alternating local runs | %.0f ms | %.0f ms | %.2f
                |===
                """, sizeThree, sizeFour, (double) sizeFour / sizeThree, RUNS, meanThree, meanFour, meanFour / meanThree));
        assertThat(VIEWS.resolve("step-4-cost.adoc")).isNotEmptyFile();
    }

    private long coldStart(String step) {
        LocalRunResult run = LocalRunResult.run(out.resolve(step), step, "--quiet");
        Matcher matcher = COLD_START.matcher(run.stdout());
        assertThat(matcher.find()).as(run.stdout()).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
