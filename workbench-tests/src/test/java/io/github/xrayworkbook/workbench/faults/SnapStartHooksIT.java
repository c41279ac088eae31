package io.github.xrayworkbook.workbench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.local.schema.SegmentDocumentSchema;
import io.github.xrayworkbook.workbench.cli.WorkbenchCommand;
import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import io.github.xrayworkbook.workbench.trace.TraceFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SnapStart hooks that throw, run through the real runtime client's own error path: a failed
 * {@code beforeCheckpoint} is posted to {@code /runtime/init/error} as
 * {@code Runtime.BeforeCheckpointError}, a failed {@code afterRestore} to
 * {@code /runtime/restore/error} as {@code Runtime.AfterRestoreError}; the workbench says so in one
 * line and exits 1, alike under the native and the portable runtime client.
 */
class SnapStartHooksIT {

    private static final Path ROOT = Path.of(System.getProperty("workbook.root"));
    private static final SegmentDocumentSchema SCHEMA = SegmentDocumentSchema.load();

    @TempDir
    Path dir;

    private Path hooksPackage;

    /** A deployment package of the two handlers and, as a SnapStart function must ship it, org.crac. */
    @BeforeEach
    void packageTheFailingHooks() throws IOException, URISyntaxException {
        hooksPackage = dir.resolve("hooks.jar");
        Path crac = Path.of(org.crac.Core.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (ZipOutputStream jar = new ZipOutputStream(Files.newOutputStream(hooksPackage));
             ZipFile cracJar = new ZipFile(crac.toFile())) {
            for (Class<?> handler : List.of(FailingBeforeCheckpointHandler.class, FailingAfterRestoreHandler.class)) {
                String entry = handler.getName().replace('.', '/') + ".class";
                try (InputStream in = handler.getClassLoader().getResourceAsStream(entry)) {
                    copy(jar, entry, in);
                }
            }
            for (ZipEntry entry : Collections.list(cracJar.entries())) {
                if (entry.getName().startsWith("org/crac/") && entry.getName().endsWith(".class")) {
                    try (InputStream in = cracJar.getInputStream(entry)) {
                        copy(jar, entry.getName(), in);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "portable"})
    void aFailingBeforeCheckpointHookFailsTheCheckpointInOneLine(String runtimeClient) throws IOException {
        Result result = run(FailingBeforeCheckpointHandler.class, runtimeClient);

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stderr().lines()).singleElement().asString().isEqualTo("workbench: the function failed:"
                + " beforeCheckpoint hook failed (Runtime.BeforeCheckpointError:"
                + " com.amazonaws.services.lambda.crac.CheckpointException); in AWS, publishing the version fails"
                + " (run with --verbose for its log)");
        assertThat(result.stdout()).contains("Checkpoint (at publish time in AWS): ")
                .doesNotContain("Restore: ").doesNotContain("Init: ");
        Span function = result.function();
        assertThat(function.status()).isEqualTo(Span.Status.FAULT);
        assertThat(function.exceptions().get(0).path("type").asText()).isEqualTo("Runtime.BeforeCheckpointError");
        assertThat(function.children()).extracting(Span::name).doesNotContain("Init", "Restore");
        // The client logs the hook's own exception, suppressed in the CheckpointException it reports.
        assertThat(result.functionLog()).contains("priming failed on purpose")
                .doesNotContain("[workbench] GET restore/next").doesNotContain("LambdaRuntimeClientException");
        assertValid(result.trace());
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "portable"})
    void aFailingAfterRestoreHookFailsTheRestoreInOneLine(String runtimeClient) throws IOException {
        Result result = run(FailingAfterRestoreHandler.class, runtimeClient);

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stderr().lines()).singleElement().asString().isEqualTo("workbench: the function failed:"
                + " afterRestore hook failed (Runtime.AfterRestoreError:"
                + " com.amazonaws.services.lambda.crac.RestoreException); in AWS, the invocation fails with"
                + " SnapStartException (run with --verbose for its log)");
        Span function = result.function();
        assertThat(function.status()).isEqualTo(Span.Status.FAULT);
        assertThat(function.exceptions().get(0).path("type").asText()).isEqualTo("Runtime.AfterRestoreError");
        assertThat(function.children()).extracting(Span::name).startsWith("Restore").doesNotContain("Init");
        String log = result.functionLog();
        assertThat(log.indexOf("beforeCheckpoint: nothing to prime"))
                .isGreaterThanOrEqualTo(0)
                .isLessThan(log.indexOf("[workbench] restore/next answered"));
        assertThat(log.indexOf("reconnecting failed on purpose")).isGreaterThan(log.indexOf("[workbench] restore/next answered"));
        assertThat(log).doesNotContain("LambdaRuntimeClientException");
        assertValid(result.trace());
    }

    record Result(int exit, String stdout, String stderr, Trace trace, Path out) {

        Span function() {
            return trace.roots().get(0).children().get(0);
        }

        String functionLog() throws IOException {
            return Files.readString(out.resolve("function/function.log"));
        }
    }

    private Result run(Class<?> handler, String runtimeClient) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        Path out = dir.resolve("out-" + handler.getSimpleName() + "-" + runtimeClient);
        List<String> args = new ArrayList<>(List.of("run", "step-1", "--snapstart", "--root", ROOT.toString(),
                "--out", out.toString(), "--package", hooksPackage.toString(),
                "--handler", handler.getName() + "::handleRequest", "--runtime-client", runtimeClient,
                "--quiet", "--color", "never", "--timeout", "120"));
        int exit = WorkbenchCommand.execute(args.toArray(String[]::new), new PrintWriter(stdout, true),
                new PrintWriter(stderr, true));
        List<Trace> traces = TraceFiles.read(out.resolve("trace.json"));
        assertThat(traces).hasSize(1);
        assertNoFunctionJvmLeft();
        return new Result(exit, stdout.toString(), stderr.toString(), traces.get(0), out);
    }

    private static void copy(ZipOutputStream jar, String entry, InputStream in) throws IOException {
        jar.putNextEntry(new ZipEntry(entry));
        in.transferTo(jar);
        jar.closeEntry();
    }

    private static void assertValid(Trace trace) {
        trace.documents().forEach(document -> assertThat(SCHEMA.violations(document)).as(document.toString()).isEmpty());
    }

    private void assertNoFunctionJvmLeft() {
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))).isEmpty();
    }
}
