package io.github.xrayworkbook.step8;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The three handlers in-process, one invocation at a time, as Lambda's runtime client runs them
 * outside Managed Instances: the trace header in a system property every thread can read. (Many at
 * once, with the header per thread, is the workbench's ThreadsIT, under the real runtime client.)
 */
class ParallelReadsHandlersTest {

    static final String BUCKET = "xray-workbook-step-8";

    @RegisterExtension
    static final LocalAwsExtension aws = new LocalAwsExtension().withSampleData(BUCKET);

    static final Map<String, String> ENVIRONMENT = Map.of("BUCKET_NAME", BUCKET, "AWS_REGION", "eu-west-1");

    @Test
    void aSharedPoolWithNothingPassedHangsTheCallsUnderTheFunctionNotUnderTheirSubsegment() {
        List<JsonNode> stored = invoke(new SharedPoolHandler(ENVIRONMENT));

        // Each pool thread finds no entity and makes a new facade from the process-wide header.
        JsonNode fanOut = only(stored, "Read in parallel");
        assertThat(fanOut.has("subsegments")).isFalse();
        assertThat(stored.stream().filter(d -> d.path("name").asText().equals("S3")).toList()).hasSize(3)
                .allSatisfy(s3 -> assertThat(s3.path("parent_id").asText()).isEqualTo(fanOut.path("parent_id").asText()));
    }

    @Test
    void passingTheEntityOrMakingThreadsPerInvocationNestsTheCallsUnderTheirSubsegment() {
        for (RequestHandler<Map<String, Object>, Map<String, Object>> handler
                : List.of(new EntityPassingHandler(ENVIRONMENT), new ThreadPerInvocationHandler(ENVIRONMENT))) {
            List<JsonNode> stored = invoke(handler);

            JsonNode fanOut = only(stored, "Read in parallel");
            assertThat(fanOut.path("subsegments")).as(handler.getClass().getSimpleName()).hasSize(3)
                    .allSatisfy(s3 -> {
                        assertThat(s3.path("name").asText()).isEqualTo("S3");
                        assertThat(s3.path("aws").path("operation").asText()).isEqualTo("GetObject");
                    });
            assertThat(stored.stream().filter(d -> d.path("name").asText().equals("S3"))).isEmpty();
        }
    }

    private static List<JsonNode> invoke(RequestHandler<Map<String, Object>, Map<String, Object>> handler) {
        TraceHeader trace = aws.beginInvocation(true);
        Map<String, Object> response = handler.handleRequest(Map.of(), null);
        assertThat(response).containsEntry("body", "Hello from S3! Hello from S3! Hello from S3!");
        List<JsonNode> stored = new ArrayList<>(aws.documentsStored(trace));
        assertThat(stored).allSatisfy(d -> assertThat(d.path("trace_id").asText()).isEqualTo(trace.root()));
        return stored;
    }

    private static JsonNode only(List<JsonNode> documents, String name) {
        List<JsonNode> named = documents.stream().filter(d -> d.path("name").asText().equals(name)).toList();
        assertThat(named).hasSize(1);
        return named.get(0);
    }
}
