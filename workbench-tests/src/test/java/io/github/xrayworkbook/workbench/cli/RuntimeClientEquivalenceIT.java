package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.xrayworkbook.workbench.run.Step;
import io.github.xrayworkbook.workbench.runtime.RuntimeClient;
import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The portable runtime client (the pure-Java {@code NativeClient} first on the classpath) against
 * the native one (the client's own JNI library), on Linux where both run: every step gives the same
 * answer or function error, and the same trace shape (names, nesting, annotations, metadata,
 * faults and causes), and a missing handler fails alike. Timeouts and crashes are compared in
 * {@code FaultsIT}.
 *
 * <p>The native side is the run {@code WorkbenchIT} and {@code SnapStartIT} assert on
 * ({@link SharedRuns}), where this machine's runtime client is the native one; elsewhere it is
 * asked for with {@code --runtime-client native}.
 */
class RuntimeClientEquivalenceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    /** Every step of the workbook. */
    static Stream<String> steps() {
        return Step.all(LocalRunResult.ROOT).stream().map(Step::shortName);
    }

    @ParameterizedTest
    @MethodSource("steps")
    void bothModesGiveTheSameAnswerAndTheSameTrace(String step) throws IOException {
        String[] args = SharedRuns.coldThenWarm(step);
        LocalRunResult nativeRun = nativeRun(args);
        LocalRunResult portableRun = LocalRunResult.run(out.resolve("portable"), with(args, "--runtime-client", "portable"));

        assertThat(nativeRun.stdout()).contains("runtime client native");
        assertThat(portableRun.stdout()).contains("runtime client portable");
        assertThat(portableRun.exitCode()).isEqualTo(nativeRun.exitCode()).isZero();
        assertThat(portableRun.stderr()).isEqualTo(nativeRun.stderr());
        assertThat(outcome(portableRun)).isEqualTo(outcome(nativeRun));
        // Two invocations, two traces; a step with a queue has its consumer's traces besides.
        assertThat(portableRun.traces()).hasSameSizeAs(nativeRun.traces()).hasSizeGreaterThanOrEqualTo(2);
        for (int i = 0; i < nativeRun.traces().size(); i++) {
            assertThat(shape(portableRun.traces().get(i))).isEqualTo(shape(nativeRun.traces().get(i)));
        }
    }

    @Test
    void aMissingHandlerFailsAlikeInBothModes() {
        String[] args = SharedRuns.missingHandler();
        LocalRunResult nativeRun = nativeRun(args);
        LocalRunResult portableRun = LocalRunResult.run(out.resolve("portable"), with(args, "--runtime-client", "portable"));

        assertThat(nativeRun.stdout()).contains("runtime client native");
        assertThat(portableRun.stdout()).contains("runtime client portable");
        assertThat(portableRun.exitCode()).isEqualTo(nativeRun.exitCode()).isEqualTo(1);
        assertThat(portableRun.stderr()).isEqualTo(nativeRun.stderr()).contains("ClassNotFoundException");
        assertThat(shape(portableRun.traces().get(0))).isEqualTo(shape(nativeRun.traces().get(0)));
    }

    @Test
    void anUnknownModeIsOneLine() {
        LocalRunResult run = LocalRunResult.run(out, "step-1", "--runtime-client", "jni");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("workbench: --runtime-client takes native, portable or auto, not 'jni'\n");
    }

    /**
     * The run under the native runtime client: the shared run where that is this machine's choice
     * ({@code --runtime-client auto}, the default), else one asked for by name.
     */
    private LocalRunResult nativeRun(String... args) {
        return RuntimeClient.Mode.forThisMachine() == RuntimeClient.Mode.NATIVE ? SharedRuns.of(args)
                : LocalRunResult.run(out.resolve("native"), with(args, "--runtime-client", "native"));
    }

    private static String[] with(String[] args, String... more) {
        return Stream.concat(Stream.of(args), Stream.of(more)).toArray(String[]::new);
    }

    /** The answer as JSON (its field order is the serialiser's), or the error line as it is. */
    private static Object outcome(LocalRunResult run) throws IOException {
        String line = run.outcomeLine();
        return line.startsWith("Response: ") ? JSON.readTree(line.substring("Response: ".length())) : line;
    }

    /** Everything about a trace but its ids and times. */
    private static JsonNode shape(Trace trace) {
        ObjectNode shape = JSON.createObjectNode();
        trace.roots().forEach(root -> shape.withArray("roots").add(shape(root)));
        return shape;
    }

    private static JsonNode shape(Span span) {
        ObjectNode shape = JSON.createObjectNode()
                .put("name", span.name())
                .put("origin", span.origin())
                .put("namespace", span.namespace())
                .put("status", span.status().name())
                .put("inferred", span.inferred());
        ObjectNode annotations = shape.putObject("annotations");
        for (Iterator<String> keys = span.annotations().fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            // The Lambda service's annotations are timings: only their presence must match.
            annotations.set(key, key.startsWith("aws:") ? JSON.getNodeFactory().textNode("number")
                    : span.annotations().get(key));
        }
        ObjectNode metadata = shape.putObject("metadata");
        for (Iterator<String> namespaces = span.metadata().fieldNames(); namespaces.hasNext(); ) {
            String namespace = namespaces.next();
            JsonNode values = span.metadata().get(namespace);
            if (!values.isObject()) {
                // An attribute of a converted span, which can record the run itself (invocation id,
                // port, process id, class path): its presence only.
                metadata.put(namespace, "value");
            } else if (span.emulated()) {
                // What the workbench wrote for a service, request ids among it: its keys only.
                values.fieldNames().forEachRemaining(metadata.withArray(namespace)::add);
            } else {
                metadata.set(namespace, values);
            }
        }
        span.exceptions().forEach(exception -> shape.withArray("exceptions").addObject()
                .put("type", exception.path("type").asText()).put("message", exception.path("message").asText()));
        span.children().forEach(child -> shape.withArray("children").add(shape(child)));
        return shape;
    }
}
