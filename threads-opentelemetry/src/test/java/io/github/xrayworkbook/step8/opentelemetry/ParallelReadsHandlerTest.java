package io.github.xrayworkbook.step8.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two handlers in-process, one invocation at a time, their spans converted by the local
 * daemon and stored as X-Ray stores them. (Many at once, under the real runtime client, is the
 * workbench's ThreadsIT.)
 */
class ParallelReadsHandlerTest {

    static final String BUCKET = "xray-workbook-threads-opentelemetry";
    static final String FUNCTION = "xray-workbook-step-8";

    @RegisterExtension
    static final LocalAwsExtension aws = new LocalAwsExtension().withSampleData(BUCKET);

    static final Map<String, String> ENVIRONMENT = Map.of("BUCKET_NAME", BUCKET, "AWS_REGION", "eu-west-1",
            "AWS_LAMBDA_FUNCTION_NAME", FUNCTION, "AWS_XRAY_DAEMON_ADDRESS", LocalAwsExtension.daemon().address());

    @Test
    void aSharedPoolWithNothingPassedSendsTheCallsOutOfTheInvocationsTrace() {
        JsonNode function = invoke(SharedPoolHandler::new);

        // The pool's threads have no current context: each call starts a trace of its own.
        JsonNode fanOut = only(function.path("subsegments"), "Read in parallel");
        assertThat(fanOut.has("subsegments")).isFalse();
        assertThat(names(function.path("subsegments"))).containsExactly("Read in parallel");
    }

    @Test
    void theWrappedPoolCarriesTheSubmittersContextSoTheCallsNestUnderTheirSpan() {
        JsonNode function = invoke(ContextWrappingHandler::new);

        JsonNode fanOut = only(function.path("subsegments"), "Read in parallel");
        assertThat(fanOut.path("subsegments")).hasSize(ParallelReadsHandler.READS).allSatisfy(s3 -> {
            assertThat(s3.path("name").asText()).isEqualTo("S3");
            assertThat(s3.path("namespace").asText()).isEqualTo("aws");
            assertThat(s3.path("annotations").path("span.name").asText()).isEqualTo("S3.GetObject");
        });
    }

    /** One invocation; the one document X-Ray stores for the handler's spans, under Lambda's segment. */
    private static JsonNode invoke(Function<Map<String, String>, ParallelReadsHandler> handler) {
        TraceHeader trace = aws.beginInvocation(true);
        Map<String, Object> answer = handler.apply(ENVIRONMENT).handleRequest(Map.of(), null);
        assertThat(answer).containsEntry("body", "Hello from S3! Hello from S3! Hello from S3!");
        List<JsonNode> stored = aws.documentsStored(trace);
        assertThat(stored).hasSize(1);
        JsonNode function = stored.get(0);
        assertThat(function.path("name").asText()).isEqualTo(FUNCTION);
        assertThat(function.path("parent_id").asText()).isEqualTo(trace.parent());
        assertThat(function.path("trace_id").asText()).isEqualTo(trace.root());
        return function;
    }

    private static JsonNode only(JsonNode documents, String name) {
        List<JsonNode> named = StreamSupport.stream(documents.spliterator(), false)
                .filter(d -> d.path("name").asText().equals(name)).toList();
        assertThat(named).as(name + " in " + documents).hasSize(1);
        return named.get(0);
    }

    private static List<String> names(JsonNode documents) {
        return StreamSupport.stream(documents.spliterator(), false).map(d -> d.path("name").asText()).toList();
    }
}
