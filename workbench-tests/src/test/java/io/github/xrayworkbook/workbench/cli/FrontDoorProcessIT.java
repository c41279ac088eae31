package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.workbench.run.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as a reader starts it, {@code java -jar workbench/target/xray-workbench.jar},
 * in a process of its own whose output goes to a pipe, not a terminal: it prints what it should,
 * from any working folder.
 */
class FrontDoorProcessIT {

    private static final Path JAR = LocalRunResult.ROOT.resolve("workbench/target/xray-workbench.jar");

    @TempDir
    Path dir;

    record Exit(int code, String stdout, String stderr) {
    }

    @Test
    void runPrintsTheTraceFromAnotherFolder() throws Exception {
        Exit run = java(dir, "run", "step-2", "--color", "never", "--out", dir.resolve("out").toString());

        assertThat(run.code()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("Response: ").contains("Hello from S3!")
                .contains("xray-workbook-step-2 AWS::Lambda::Function")
                .contains("-> S3 (AWS::S3::Bucket)  1 call  OK");
        assertThat(dir.resolve("out/trace.json")).isRegularFile();
    }

    @Test
    void viewPrintsTheTimelineAndMapIntoAPipe() throws Exception {
        Path trace = fixture("legacy-structure-cold-inferred-dynamodb.json");

        Exit view = java(dir, "view", trace.toString(), "--color", "never");

        assertThat(view.code()).as(view.stderr()).isZero();
        assertThat(view.stdout()).startsWith("Trace 1-643aca1d-02e095f7341508e00b9b6d2b")
                .contains("    Initialization ")
                .contains("todo-list-app-dev-postTask (AWS::Lambda::Function) -> DynamoDB (AWS::DynamoDB::Table)  1 call  OK");
        assertThat(view.stdout()).doesNotContain("\u001b[");
    }

    @Test
    void viewWithHtmlPrintsTheTraceToo() throws Exception {
        Path trace = fixture("current-structure-warm.json");
        Path html = dir.resolve("trace.html");

        Exit view = java(dir, "view", trace.toString(), "--html", html.toString());

        assertThat(view.code()).as(view.stderr()).isZero();
        assertThat(view.stdout()).contains("annotation aws:responseLatency = 264.19").contains("HTML: " + html);
        assertThat(html).isRegularFile();
    }

    @Test
    void aWrongStepIsOneLineAndExitCodeTwo() throws Exception {
        Exit run = java(dir, "run", "step-9");

        assertThat(run.code()).isEqualTo(2);
        // Every step-N module of the workbook, as the workbench reads them from the POMs.
        String steps = Step.all(LocalRunResult.ROOT).stream().map(Step::shortName).collect(Collectors.joining(", "));
        assertThat(steps).startsWith("step-1, step-2, step-3, step-4");
        assertThat(run.stderr()).isEqualTo("workbench: Unknown step 'step-9': choose " + steps + "\n");
    }

    /** A stored trace from the workbench's own test fixtures. */
    private static Path fixture(String name) {
        return LocalRunResult.ROOT.resolve("workbench/src/test/resources/real-traces").resolve(name);
    }

    private static Exit java(Path workingDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile(workingDir, "stdout", ".txt");
        Path stderr = Files.createTempFile(workingDir, "stderr", ".txt");
        Process process = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ended").isTrue();
        return new Exit(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
