package io.github.xrayworkbook.step6;

import static io.github.xrayworkbook.step6.Step6Fixture.BUCKET;
import static io.github.xrayworkbook.step6.Step6Fixture.documentsReceived;
import static io.github.xrayworkbook.step6.Step6Fixture.lambdaEnvironment;
import static io.github.xrayworkbook.step6.Step6Fixture.printed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hooks called as Lambda's runtime calls them, outside any invocation. (On a plain JDK,
 * org.crac finds no implementation and registering does nothing; the workbench's SnapStartIT runs
 * them through the real runtime client.)
 */
class SnapStartHandlerTest {

    @RegisterExtension
    static final LocalAwsExtension aws = new LocalAwsExtension();

    @BeforeAll
    static void seedBucket() {
        Step6Fixture.seed(aws);
    }

    @Test
    void beforeCheckpointReadsTheObjectAndSendsNothingToXRay() {
        SnapStartHandler handler = new SnapStartHandler(lambdaEnvironment());
        aws.beginInvocationWithoutTrace();
        int before = documentsReceived(aws);

        String log = printed(() -> handler.beforeCheckpoint(null));

        assertThat(log).matches("beforeCheckpoint: primed the S3 read in \\d+ ms\\R");
        assertThat(documentsReceived(aws)).isEqualTo(before);
    }

    @Test
    void aFailedPrimingIsALogLineNotAFailedCheckpoint() {
        SnapStartHandler handler = new SnapStartHandler(lambdaEnvironment("OBJECT_KEY", "missing.json"));
        aws.beginInvocationWithoutTrace();

        String log = printed(() -> handler.beforeCheckpoint(null));

        assertThat(log).startsWith("beforeCheckpoint: priming failed, the first invocation pays for it:"
                + " Cannot read s3://" + BUCKET + "/missing.json: ").contains("does not exist");
    }

    @Test
    void afterRestoreKeepsThePrimedClientWhoseFirstInvocationIsTraced() {
        aws.s3().putObject(BUCKET, "restored.json", "{\"message\": \"Hello after a restore\"}");
        Map<String, String> environment = lambdaEnvironment();
        SnapStartHandler handler = new SnapStartHandler(environment);
        aws.beginInvocationWithoutTrace();
        printed(() -> handler.beforeCheckpoint(null));
        // A client built after the restore would read this key; the primed one goes on reading its own.
        environment.put("OBJECT_KEY", "restored.json");

        String log = printed(() -> handler.afterRestore(null));
        TraceHeader trace = aws.beginInvocation(true);
        Map<String, Object> response = handler.handleRequest(Map.of(), null);

        assertThat(log).isEqualTo("afterRestore: keeping the primed S3 client" + System.lineSeparator());
        assertThat(response).containsOnly(Map.entry("statusCode", 200), Map.entry("body", "Hello from S3!"));
        List<SegmentDocument> sent = aws.documentsSent(trace);
        assertThat(sent).extracting(SegmentDocument::name).containsExactly("S3");
        JsonNode s3 = sent.get(0).json();
        assertThat(s3.path("trace_id").asText()).isEqualTo(trace.root());
        assertThat(s3.path("parent_id").asText()).isEqualTo(trace.parent());
        assertThat(s3.path("aws").path("operation").asText()).isEqualTo("GetObject");
        assertThat(s3.path("aws").path("key").asText()).isEqualTo("sample_data.json");
        assertThat(s3.path("http").path("response").path("status").asInt()).isEqualTo(200);
    }

    @Test
    void withoutHooksItIsStepTwosFunction() {
        SnapStartHandler handler = new SnapStartHandler(lambdaEnvironment());
        TraceHeader trace = aws.beginInvocation(true);

        assertThat(handler.handleRequest(Map.of(), null)).containsEntry("body", "Hello from S3!");
        assertThat(aws.documentsSent(trace)).extracting(SegmentDocument::name).containsExactly("S3");
    }
}
