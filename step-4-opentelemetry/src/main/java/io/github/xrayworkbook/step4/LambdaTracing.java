package io.github.xrayworkbook.step4;

import io.github.xrayworkbook.xrayudp.XRayUdpSpanExporter;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayLambdaPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK set up as in the manual path that AWS's X-Ray guide offers for Lambda "for
 * reduced cold starts" ("Migrating to OpenTelemetry Java",
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-migration-opentelemetry.html#xray-migration-lambda):
 * no agent, Lambda's trace header as the parent, spans straight to the X-Ray endpoint over UDP.
 */
public final class LambdaTracing {

    private static final String TRACE_HEADER = "X-Amzn-Trace-Id";

    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final OpenTelemetrySdk openTelemetry;

    private LambdaTracing(OpenTelemetrySdk openTelemetry) {
        this.openTelemetry = openTelemetry;
    }

    // tag::setup[]
    /** Builds the SDK; do it once per execution environment, not once per invocation. */
    public static LambdaTracing fromEnvironment(Map<String, String> environment) {
        Resource function = Resource.getDefault().merge(Resource.create(lambdaAttributes(environment)));
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .setResource(function)
                // Lambda has already decided: follow the Sampled= of its trace header.
                .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
                // Sends each span as it ends, in the calling thread: nothing is left behind
                // when Lambda freezes the environment after the answer.
                .addSpanProcessor(SimpleSpanProcessor.create(XRayUdpSpanExporter.fromEnvironment(environment)))
                .build();
        return new LambdaTracing(OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(AwsXrayLambdaPropagator.getInstance()))
                .build());
    }
    // end::setup[]

    /**
     * What AWS's manual example puts on the resource (the contrib LambdaResource's attributes and the
     * function's name as service.name), and the log group that AWS's Lambda layer adds, all from the
     * variables Lambda sets.
     */
    private static Attributes lambdaAttributes(Map<String, String> environment) {
        AttributesBuilder attributes = Attributes.builder()
                .put("service.name", functionName(environment))
                .put("cloud.provider", "aws")
                .put("cloud.platform", "aws_lambda")
                .put("faas.name", functionName(environment));
        Map.of("cloud.region", "AWS_REGION", "faas.version", "AWS_LAMBDA_FUNCTION_VERSION",
                "faas.instance", "AWS_LAMBDA_LOG_STREAM_NAME", "aws.log.group.names", "AWS_LAMBDA_LOG_GROUP_NAME")
                .forEach((attribute, variable) -> {
                    String value = environment.get(variable);
                    if (value != null && !value.isBlank()) {
                        attributes.put(attribute, value);
                    }
                });
        return attributes.build();
    }

    public OpenTelemetrySdk openTelemetry() {
        return openTelemetry;
    }

    // tag::parent[]
    /**
     * The Lambda function segment of this invocation, as the parent for the handler's span: read
     * from the invocation's own context first, which holds Lambda's trace header for this request
     * alone, as ADOT's Lambda instrumentation does. Without one (an older runtime client, a test),
     * the propagator reads the {@code com.amazonaws.xray.traceHeader} system property, then the
     * {@code _X_AMZN_TRACE_ID} variable: one value for the whole process, which is wrong when it
     * handles several requests at once.
     */
    public Context lambdaParent(com.amazonaws.services.lambda.runtime.Context invocation) {
        String header = invocation == null ? null : invocation.getXrayTraceId();
        if (header != null && !header.isBlank()) {
            return AwsXrayPropagator.getInstance().extract(Context.root(), Map.of(TRACE_HEADER, header), MAP);
        }
        return openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), Map.of(), MAP);
    }
    // end::parent[]

    /** Waits for any span still being exported, before Lambda freezes the environment. */
    public void flush() {
        openTelemetry.getSdkTracerProvider().forceFlush().join(1, TimeUnit.SECONDS);
    }

    static String functionName(Map<String, String> environment) {
        String name = environment.get("AWS_LAMBDA_FUNCTION_NAME");
        return name == null || name.isBlank() ? "step-4-opentelemetry" : name;
    }
}
