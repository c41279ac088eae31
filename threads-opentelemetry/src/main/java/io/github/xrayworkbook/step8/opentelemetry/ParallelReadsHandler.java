package io.github.xrayworkbook.step8.opentelemetry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.xrayworkbook.step4.LambdaTracing;
import io.github.xrayworkbook.step4.SampleDataReader;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/**
 * Step 8's reads on OpenTelemetry: the invocation's span, a span {@code Read in parallel}, and
 * under it, if the pool carries the context across, the three S3 calls. The two handlers differ
 * only in the pool they hand over.
 */
abstract class ParallelReadsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    static final int READS = 3;

    private final LambdaTracing tracing;
    private final Tracer tracer;
    private final SampleDataReader sampleData;
    private final String functionName;
    private final ExecutorService pool;

    ParallelReadsHandler(Map<String, String> environment, ExecutorService pool) {
        this.tracing = LambdaTracing.fromEnvironment(environment);
        this.tracer = tracing.openTelemetry().getTracer("io.github.xrayworkbook.step8");
        this.sampleData = SampleDataReader.fromEnvironment(environment, tracing.openTelemetry());
        this.functionName = environment.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "step-8-threads");
        this.pool = pool;
    }

    // tag::handler[]
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Span invocation = tracer.spanBuilder(functionName).setSpanKind(SpanKind.SERVER)
                .setParent(tracing.lambdaParent(context)).startSpan();
        try (Scope inInvocation = invocation.makeCurrent()) {
            Span fanOut = tracer.spanBuilder("Read in parallel").startSpan();
            try (Scope inFanOut = fanOut.makeCurrent()) {
                List<CompletableFuture<String>> reads = Stream.generate(
                        () -> CompletableFuture.supplyAsync(sampleData::message, pool)).limit(READS).toList();
                return Map.of("statusCode", 200, "body",
                        String.join(" ", reads.stream().map(CompletableFuture::join).toList()));
            } finally {
                fanOut.end();
            }
        } finally {
            invocation.end();
            tracing.flush();
        }
    }
    // end::handler[]
}
