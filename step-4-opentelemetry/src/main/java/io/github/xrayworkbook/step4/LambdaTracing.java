package io.github.xrayworkbook.step4;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayLambdaPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK set up the way AWS's X-Ray guide recommends for Lambda ("Migrating to
 * OpenTelemetry Java", https://docs.aws.amazon.com/xray/latest/devguide/xray-migration-opentelemetry.html#xray-migration-lambda):
 * no agent, Lambda's trace header as the parent, spans straight to the X-Ray endpoint over UDP.
 */
public final class LambdaTracing {

    /** A handler invoked directly has no incoming headers: Lambda's trace header is all there is. */
    private static final TextMapGetter<Map<String, String>> NO_HEADERS = (carrier, key) -> null;

    private final OpenTelemetrySdk openTelemetry;

    private LambdaTracing(OpenTelemetrySdk openTelemetry) {
        this.openTelemetry = openTelemetry;
    }

    // tag::setup[]
    /** Builds the SDK; do it once per execution environment, not once per invocation. */
    public static LambdaTracing fromEnvironment(Map<String, String> environment) {
        Resource function = Resource.getDefault().merge(Resource.create(Attributes.builder()
                .put(AttributeKey.stringKey("service.name"), functionName(environment))
                .put(AttributeKey.stringKey("cloud.provider"), "aws")
                .put(AttributeKey.stringKey("cloud.platform"), "aws_lambda")
                .put(AttributeKey.stringKey("cloud.region"), environment.get("AWS_REGION"))
                .put(AttributeKey.stringKey("faas.name"), functionName(environment))
                .build()));
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

    public OpenTelemetrySdk openTelemetry() {
        return openTelemetry;
    }

    // tag::parent[]
    /**
     * The Lambda function segment of this invocation, as the parent for the handler's span. On
     * Java 17+ runtimes the runtime client puts Lambda's trace header in the
     * {@code com.amazonaws.xray.traceHeader} system property, per invocation; the propagator
     * reads that, then {@code _X_AMZN_TRACE_ID}.
     */
    public Context lambdaParent() {
        return openTelemetry.getPropagators().getTextMapPropagator()
                .extract(Context.root(), Map.of(), NO_HEADERS);
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
