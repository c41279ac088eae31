package io.github.xrayworkbook.workbench.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenTelemetryLayerTest {

    private final OpenTelemetryLayer layer = new OpenTelemetryLayer(Path.of("agent.jar"), Path.of("extension.jar"));

    @Test
    void putsTheLogGroupAndStreamOnTheResourceOfAnOnDemandFunction() {
        Map<String, String> runtime = runtime("on-demand");
        runtime.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/step-5");
        runtime.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/04/[$LATEST]0123");

        assertThat(layer.wrap(runtime).get("OTEL_RESOURCE_ATTRIBUTES")).isEqualTo("cloud.region=eu-west-1,"
                + "cloud.provider=aws,faas.name=step-5,faas.version=$LATEST,"
                + "faas.instance=2026/12/04/[$LATEST]0123,aws.log.group.names=/aws/lambda/step-5");
    }

    @Test
    void leavesOutTheLogGroupAndStreamOfASnapStartFunctionWhichHasNeither() {
        // What Lambda gives a SnapStart function: no AWS_LAMBDA_LOG_GROUP_NAME or _STREAM_NAME.
        Map<String, String> environment = layer.wrap(runtime("snap-start"));

        assertThat(environment.get("OTEL_RESOURCE_ATTRIBUTES"))
                .isEqualTo("cloud.region=eu-west-1,cloud.provider=aws,faas.name=step-5,faas.version=$LATEST")
                .doesNotContain("null");
    }

    @Test
    void switchesOnOnlyItsInstrumentationsAndKeepsWhatTheFunctionSetForThem() {
        Map<String, String> wrapped = layer.wrap(runtime("on-demand"));
        assertThat(wrapped).containsEntry("OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED", "false")
                .containsEntry("OTEL_INSTRUMENTATION_AWS_SDK_ENABLED", "true")
                .doesNotContainKey("OTEL_INSTRUMENTATION_EXECUTORS_ENABLED");

        // The script's ${NAME:-value}: a value the function set stays, an empty one does not.
        Map<String, String> runtime = runtime("on-demand");
        runtime.put("OTEL_INSTRUMENTATION_EXECUTORS_ENABLED", "true");
        runtime.put("OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED", "true");
        runtime.put("OTEL_INSTRUMENTATION_NETTY_ENABLED", "");
        runtime.put("OTEL_INSTRUMENTATION_AWS_SDK_EXPERIMENTAL_SPAN_ATTRIBUTES", "false");
        assertThat(layer.wrap(runtime)).containsEntry("OTEL_INSTRUMENTATION_EXECUTORS_ENABLED", "true")
                .containsEntry("OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED", "true")
                .containsEntry("OTEL_INSTRUMENTATION_NETTY_ENABLED", "true")
                // This one the script overwrites.
                .containsEntry("OTEL_INSTRUMENTATION_AWS_SDK_EXPERIMENTAL_SPAN_ATTRIBUTES", "true");
    }

    private static Map<String, String> runtime(String initializationType) {
        Map<String, String> runtime = new HashMap<>();
        runtime.put("AWS_LAMBDA_FUNCTION_NAME", "step-5");
        runtime.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        runtime.put("AWS_REGION", "eu-west-1");
        runtime.put("AWS_LAMBDA_INITIALIZATION_TYPE", initializationType);
        return runtime;
    }
}
