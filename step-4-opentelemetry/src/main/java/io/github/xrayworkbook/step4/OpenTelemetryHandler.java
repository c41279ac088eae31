package io.github.xrayworkbook.step4;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Map;

// tag::handler[]
/**
 * Step 3's function on OpenTelemetry: it reads {@code sample_data.json} from S3, then fails on
 * purpose in a span of its own that carries an annotation, metadata and the exception.
 */
public class OpenTelemetryHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    // tag::xray-attributes[]
    /**
     * How X-Ray turns span attributes into annotations and metadata: the attributes named in
     * {@code aws.xray.annotations} become annotations, and the others metadata, one key each. An
     * attribute {@code aws.xray.metadata.NAMESPACE} holding a JSON object is that metadata namespace
     * in the OpenTelemetry Collector's translation, which documents the rule; stored traces do not
     * show what X-Ray's own conversion makes of it. See "Migrating to OpenTelemetry Java", manually
     * creating trace data, https://docs.aws.amazon.com/xray/latest/devguide/xray-migration-opentelemetry.html#xray-migration-tracedata
     */
    static final AttributeKey<List<String>> XRAY_ANNOTATIONS = AttributeKey.stringArrayKey("aws.xray.annotations");
    static final String XRAY_METADATA_PREFIX = "aws.xray.metadata.";
    // end::xray-attributes[]

    // Built once per execution environment, when Lambda creates the handler, and reused.
    private final LambdaTracing tracing;
    private final Tracer tracer;
    private final SampleDataReader sampleData;
    private final String functionName;
    private boolean coldStart = true;

    public OpenTelemetryHandler() {
        this(System.getenv());
    }

    OpenTelemetryHandler(Map<String, String> environment) {
        this.tracing = LambdaTracing.fromEnvironment(environment);
        this.tracer = tracing.openTelemetry().getTracer("io.github.xrayworkbook.step4");
        this.sampleData = SampleDataReader.fromEnvironment(environment, tracing.openTelemetry());
        this.functionName = LambdaTracing.functionName(environment);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        // tag::invocation-span[]
        Span invocation = tracer.spanBuilder(functionName)
                .setSpanKind(SpanKind.SERVER)
                .setParent(tracing.lambdaParent(context))
                .setAttribute("faas.coldstart", coldStart)
                .startSpan();
        coldStart = false;
        if (context != null) {
            invocation.setAttribute("faas.invocation_id", context.getAwsRequestId());
            invocation.setAttribute("cloud.resource_id", context.getInvokedFunctionArn());
        }
        Scope scope = invocation.makeCurrent();
        try {
            String message = sampleData.message();
            throwingException();
            return Map.of("statusCode", 200, "body", message);
        } catch (RuntimeException e) {
            invocation.recordException(e);
            invocation.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            scope.close();
            invocation.end();
            tracing.flush();
        }
        // end::invocation-span[]
    }

    // tag::throwing-exception[]
    private void throwingException() {
        Span span = tracer.spanBuilder("Throwing exception").startSpan();
        try {
            span.setAttribute("very_important_annotation", "Very very important information");
            span.setAttribute(XRAY_ANNOTATIONS, List.of("very_important_annotation"));
            span.setAttribute(XRAY_METADATA_PREFIX + "information",
                    "{\"very_important_inforamtion\": {\"message\": \"Hello I am metadata\"}}");
            throw new RuntimeException("Information");
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            span.end();
        }
    }
    // end::throwing-exception[]
}
// end::handler[]
