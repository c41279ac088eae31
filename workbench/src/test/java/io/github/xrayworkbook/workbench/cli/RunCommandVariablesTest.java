package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code workbench run --env}: what a function's configuration may set, and one line for what not. */
class RunCommandVariablesTest {

    @Test
    void takesNameValuePairsInOrderAndKeepsEqualsSignsAndEmptyValuesInTheValue() {
        assertThat(RunCommand.parseVariables(List.of("OTEL_INSTRUMENTATION_EXECUTORS_ENABLED=true", "JAVA_TOOL_OPTIONS=-Da=b",
                "EMPTY=")))
                .containsExactly(Map.entry("OTEL_INSTRUMENTATION_EXECUTORS_ENABLED", "true"),
                        Map.entry("JAVA_TOOL_OPTIONS", "-Da=b"), Map.entry("EMPTY", ""));
    }

    @Test
    void refusesWhatLambdaWouldRefuseInOneLine() {
        assertThatThrownBy(() -> RunCommand.parseVariables(List.of("NO_EQUALS_SIGN")))
                .hasMessage("--env takes NAME=VALUE, a name of letters, digits and _ that starts with a letter,"
                        + " not 'NO_EQUALS_SIGN'");
        assertThatThrownBy(() -> RunCommand.parseVariables(List.of("1ST=x"))).hasMessageContaining("not '1ST=x'");
        assertThatThrownBy(() -> RunCommand.parseVariables(List.of("_X_AMZN_TRACE_ID=Root=1-2-3")))
                .hasMessage("--env _X_AMZN_TRACE_ID: Lambda sets it itself and reserves the name; a function's"
                        + " configuration cannot set it");
        assertThatThrownBy(() -> RunCommand.parseVariables(List.of("AWS_REGION=us-east-1"))).hasMessageContaining("reserves");
        assertThatThrownBy(() -> RunCommand.parseVariables(List.of("AWS_LAMBDA_MAX_CONCURRENCY=4")))
                .hasMessageContaining("use --max-concurrency N");
    }
}
