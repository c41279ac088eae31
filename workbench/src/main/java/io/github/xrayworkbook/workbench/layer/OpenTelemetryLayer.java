package io.github.xrayworkbook.workbench.layer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What AWS's OpenTelemetry Lambda layer does to a function, done on this machine: the layer's
 * wrapper script, {@code /opt/otel-instrument}, which Lambda runs through
 * {@code AWS_LAMBDA_EXEC_WRAPPER}, sets the environment below and starts the runtime with the
 * layer's Java agent in {@code JAVA_TOOL_OPTIONS}. The values follow that script
 * ({@code lambda-layer/otel-instrument} in github.com/aws-observability/aws-otel-java-instrumentation,
 * read at commit 78771828, lines 38 to 45 for the instrumentations it switches on). Among those it
 * leaves off is {@code executors}, which carries the context into a thread pool: a function that
 * needs it sets {@code OTEL_INSTRUMENTATION_EXECUTORS_ENABLED=true}.
 *
 * <p>The agent differs: the layer holds ADOT's agent, which no registry serves to this build, and
 * the workbench runs the upstream OpenTelemetry Java agent. Two settings make up for what ADOT's
 * agent does by itself on Lambda:
 * <ul>
 *   <li>{@code OTEL_TRACES_EXPORTER=xray-udp} with the workbook's agent extension: ADOT's agent
 *       replaces its OTLP exporter with one that sends to Lambda's X-Ray UDP endpoint;</li>
 *   <li>{@code xray-lambda} in {@code OTEL_PROPAGATORS} instead of {@code xray}: ADOT patches the
 *       agent's Lambda instrumentation to read Lambda's trace header itself; upstream, only the
 *       {@code xray-lambda} propagator reads it (from {@code com.amazonaws.xray.traceHeader}, then
 *       {@code _X_AMZN_TRACE_ID}).</li>
 * </ul>
 *
 * @param agent the OpenTelemetry Java agent's jar
 * @param extension the workbook's agent extension, with the X-Ray UDP exporter
 */
public record OpenTelemetryLayer(Path agent, Path extension) {

    static final String AGENT_JAR = "opentelemetry-javaagent.jar";
    static final String EXTENSION_JAR = "layer-agent-extension.jar";
    /** The instrumentations the layer's wrapper switches on, all others off. */
    private static final String[] INSTRUMENTATIONS = {
        "OPENTELEMETRY_API", "AWS_LAMBDA", "AWS_SDK", "APACHE_HTTPCLIENT", "JAVA_HTTP_CLIENT", "NETTY"};

    /**
     * The layer as the workbench's build lays it out under {@code workbench/target/lambda-layer}.
     *
     * @throws IllegalArgumentException saying how to build it, if it is not there
     */
    public static OpenTelemetryLayer in(Path workbenchTarget) {
        Path folder = workbenchTarget.resolve("lambda-layer");
        OpenTelemetryLayer layer = new OpenTelemetryLayer(folder.resolve(AGENT_JAR), folder.resolve(EXTENSION_JAR));
        if (!Files.isRegularFile(layer.agent()) || !Files.isRegularFile(layer.extension())) {
            throw new IllegalArgumentException(folder + " holds no OpenTelemetry Java agent:"
                    + " build it with ./mvnw package -DskipTests");
        }
        return layer;
    }

    /**
     * The runtime's environment as the layer's wrapper hands it on: the same, plus the variables
     * the wrapper sets from the function's own ({@code AWS_LAMBDA_FUNCTION_NAME}, {@code AWS_REGION}...),
     * with the agent before any {@code JAVA_TOOL_OPTIONS} the function had.
     */
    public Map<String, String> wrap(Map<String, String> runtime) {
        String name = runtime.get("AWS_LAMBDA_FUNCTION_NAME");
        Map<String, String> environment = new LinkedHashMap<>(runtime);
        // tag::wrapper[]
        environment.put("JAVA_TOOL_OPTIONS", "-javaagent:" + agent
                + Optional.ofNullable(runtime.get("JAVA_TOOL_OPTIONS")).map(options -> " " + options).orElse(""));
        environment.put("OTEL_JAVAAGENT_EXTENSIONS", extension.toString());
        environment.put("OTEL_TRACES_EXPORTER", "xray-udp");
        environment.put("OTEL_METRICS_EXPORTER", "none");
        environment.put("OTEL_LOGS_EXPORTER", "none");
        environment.put("OTEL_PROPAGATORS", "tracecontext,baggage,xray-lambda");
        environment.put("OTEL_SERVICE_NAME", name);
        environment.put("OTEL_RESOURCE_ATTRIBUTES", resourceAttributes(runtime));
        environment.put("OTEL_INSTRUMENTATION_AWS_LAMBDA_FLUSH_TIMEOUT", "10000");
        environment.put("OTEL_INSTRUMENTATION_AWS_SDK_EXPERIMENTAL_SPAN_ATTRIBUTES", "true");
        // Only what the layer switches on: the agent's other instrumentations cost start-up time.
        // These the script sets as ${VAR:-default}: a value the function has set wins.
        unlessSet(environment, "OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED", "false");
        for (String instrumentation : INSTRUMENTATIONS) {
            unlessSet(environment, "OTEL_INSTRUMENTATION_" + instrumentation + "_ENABLED", "true");
        }
        // Tracing only, as deploy.sh sets the layer up unless asked for Application Signals.
        environment.put("OTEL_AWS_APPLICATION_SIGNALS_ENABLED", "false");
        // What ADOT's agent sets on Lambda: its resource detector, and batches that fit a datagram.
        environment.put("OTEL_RESOURCE_PROVIDERS_AWS_ENABLED", "true");
        environment.put("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10");
        // end::wrapper[]
        return environment;
    }

    /** The script's {@code export NAME=${NAME:-value}}: keeps a value the function set, unless empty. */
    private static void unlessSet(Map<String, String> environment, String name, String value) {
        if (environment.getOrDefault(name, "").isEmpty()) {
            environment.put(name, value);
        }
    }

    /**
     * The Lambda attributes the wrapper puts on the resource, from the function's variables. A
     * SnapStart function has no {@code AWS_LAMBDA_LOG_GROUP_NAME} or {@code AWS_LAMBDA_LOG_STREAM_NAME}
     * (its log stream is only known after a restore): the script would write an empty value there,
     * and this wrapper leaves the attribute out, as step 4 does, rather than write {@code null}.
     */
    static String resourceAttributes(Map<String, String> runtime) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("cloud.region", runtime.get("AWS_REGION"));
        attributes.put("cloud.provider", "aws");
        attributes.put("faas.name", runtime.get("AWS_LAMBDA_FUNCTION_NAME"));
        attributes.put("faas.version", runtime.get("AWS_LAMBDA_FUNCTION_VERSION"));
        attributes.put("faas.instance", runtime.get("AWS_LAMBDA_LOG_STREAM_NAME"));
        attributes.put("aws.log.group.names", runtime.get("AWS_LAMBDA_LOG_GROUP_NAME"));
        return attributes.entrySet().stream()
                .filter(attribute -> attribute.getValue() != null && !attribute.getValue().isBlank())
                .map(attribute -> attribute.getKey() + "=" + attribute.getValue())
                .collect(Collectors.joining(","));
    }
}
