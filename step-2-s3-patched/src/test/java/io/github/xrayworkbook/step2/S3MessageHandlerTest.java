package io.github.xrayworkbook.step2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;

class S3MessageHandlerTest {

    static final String BUCKET = "xray-workbook-step-2";
    static final String REGION = "eu-west-1";

    @RegisterExtension
    static final LocalAwsExtension aws = new LocalAwsExtension().withSampleData(BUCKET);

    @BeforeAll
    static void seedBucket() {
        aws.s3().putObject(BUCKET, "broken.json", "{\"message\": ");
        aws.s3().putObject(BUCKET, "no-message.json", "{\"note\": \"nothing to say\"}");
    }

    static Map<String, String> lambdaEnvironment(String... overrides) {
        Map<String, String> environment = new HashMap<>(Map.of("BUCKET_NAME", BUCKET, "AWS_REGION", REGION));
        for (int i = 0; i < overrides.length; i += 2) {
            environment.put(overrides[i], overrides[i + 1]);
        }
        return environment;
    }

    @Test
    void answersWithTheMessageAndTracesGetObject() {
        S3MessageHandler handler = new S3MessageHandler(lambdaEnvironment());
        TraceHeader trace = aws.beginInvocation(true);

        Map<String, Object> response = handler.handleRequest(Map.of(), null);

        assertThat(response).containsOnly(Map.entry("statusCode", 200), Map.entry("body", "Hello from S3!"));
        List<SegmentDocument> sent = aws.documentsSent(trace);
        assertThat(sent).hasSize(1);
        SegmentDocument s3 = sent.get(0);
        assertThat(s3.isSubsegment()).isTrue();
        assertThat(s3.name()).isEqualTo("S3");
        assertThat(s3.traceId()).isEqualTo(trace.root());
        assertThat(s3.parentId()).contains(trace.parent());
        assertThat(s3.id()).matches("[0-9a-f]{16}");
        JsonNode json = s3.json();
        assertThat(json.path("namespace").asText()).isEqualTo("aws");
        assertThat(json.path("aws").path("operation").asText()).isEqualTo("GetObject");
        assertThat(json.path("aws").path("bucket_name").asText()).isEqualTo(BUCKET);
        assertThat(json.path("aws").path("key").asText()).isEqualTo("sample_data.json");
        assertThat(json.path("aws").path("region").asText()).isEqualTo(REGION);
        assertThat(json.path("aws").path("request_id").asText()).isNotBlank();
        assertThat(json.path("http").path("response").path("status").asInt()).isEqualTo(200);
        assertThat(json.path("start_time").asDouble()).isPositive()
                .isLessThanOrEqualTo(json.path("end_time").asDouble());
        assertThat(json.has("in_progress")).isFalse();
        assertThat(json.has("error")).isFalse();
        assertThat(json.has("fault")).isFalse();
    }

    @Test
    void aMissingObjectIsAnErrorThatNamesBucketAndKeyAndMarksTheSubsegment() {
        S3MessageHandler handler = new S3MessageHandler(lambdaEnvironment("OBJECT_KEY", "missing.json"));
        TraceHeader trace = aws.beginInvocation(true);

        assertThatThrownBy(() -> handler.handleRequest(Map.of(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot read s3://" + BUCKET + "/missing.json: ")
                .hasMessageContaining("does not exist");

        List<SegmentDocument> sent = aws.documentsSent(trace);
        assertThat(sent).hasSize(1);
        JsonNode s3 = sent.get(0).json();
        assertThat(s3.path("name").asText()).isEqualTo("S3");
        assertThat(s3.path("error").asBoolean()).isTrue();
        assertThat(s3.has("fault")).isFalse();
        assertThat(s3.path("http").path("response").path("status").asInt()).isEqualTo(404);
        assertThat(s3.path("aws").path("key").asText()).isEqualTo("missing.json");
        JsonNode exception = s3.path("cause").path("exceptions").path(0);
        assertThat(exception.path("type").asText()).isEqualTo("software.amazon.awssdk.services.s3.model.NoSuchKeyException");
        assertThat(exception.path("remote").asBoolean()).isTrue();
    }

    @Test
    void aMissingBucketNameStopsTheFunctionAtStartWithAClearMessage() {
        Map<String, String> environment = lambdaEnvironment();
        environment.remove("BUCKET_NAME");

        assertThatThrownBy(() -> new S3MessageHandler(environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("BUCKET_NAME is not set: set it to the bucket that holds sample_data.json");
    }

    @Test
    void aMissingRegionStopsTheFunctionAtStartWithAClearMessage() {
        Map<String, String> environment = lambdaEnvironment();
        environment.remove("AWS_REGION");

        assertThatThrownBy(() -> new S3MessageHandler(environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("AWS_REGION is not set: set it to the bucket's region, e.g. eu-west-1");
    }

    @Test
    void malformedJsonIsAnErrorThatSaysWhichObject() {
        S3MessageHandler handler = new S3MessageHandler(lambdaEnvironment("OBJECT_KEY", "broken.json"));
        TraceHeader trace = aws.beginInvocation(true);

        assertThatThrownBy(() -> handler.handleRequest(Map.of(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("s3://" + BUCKET + "/broken.json is not valid JSON: ");
        // The download itself worked: the S3 subsegment is a success.
        JsonNode s3 = aws.documentsSent(trace).get(0).json();
        assertThat(s3.path("http").path("response").path("status").asInt()).isEqualTo(200);
    }

    @Test
    void jsonWithoutAMessageIsAnErrorThatSaysWhatIsMissing() {
        S3MessageHandler handler = new S3MessageHandler(lambdaEnvironment("OBJECT_KEY", "no-message.json"));
        aws.beginInvocation(true);

        assertThatThrownBy(() -> handler.handleRequest(Map.of(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("s3://" + BUCKET + "/no-message.json has no \"message\" text field");
    }

    @Test
    void anUnsampledInvocationAnswersAndSendsNothing() {
        S3MessageHandler handler = new S3MessageHandler(lambdaEnvironment());
        TraceHeader trace = aws.beginInvocation(false);

        assertThat(handler.handleRequest(Map.of(), null)).containsEntry("body", "Hello from S3!");

        assertThat(aws.documentsSent(trace)).isEmpty();
    }

    @Test
    void withoutATraceHeaderItAnswersSendsNothingAndLogsNoStackTrace() {
        S3MessageHandler handler = new S3MessageHandler(lambdaEnvironment());
        aws.beginInvocationWithoutTrace();
        int before = LocalAwsExtension.daemon().documents().size();
        List<LogRecord> reported = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord logRecord) {
                reported.add(logRecord);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            assertThat(handler.handleRequest(Map.of(), null)).containsEntry("body", "Hello from S3!");
        } finally {
            root.removeHandler(capture);
        }

        aws.documentsSent(TraceHeader.newTrace(true));
        assertThat(LocalAwsExtension.daemon().documents()).hasSize(before);
        assertThat(reported).noneMatch(r -> r.getThrown() != null || r.getLevel().intValue() >= Level.WARNING.intValue());
    }

    @Test
    void anExplicitInterceptorBesideTheInstrumentorStillRecordsEachCallOnce() {
        SampleDataReader reader = new SampleDataReader(
                ExplicitlyTracedS3Client.create(Region.of(REGION)), BUCKET, "sample_data.json");
        TraceHeader trace = aws.beginInvocation(true);

        assertThat(reader.message()).isEqualTo("Hello from S3!");

        List<SegmentDocument> sent = aws.documentsSent(trace);
        assertThat(sent).extracting(SegmentDocument::name).containsExactly("S3");
        JsonNode s3 = sent.get(0).json();
        assertThat(s3.path("aws").path("operation").asText()).isEqualTo("GetObject");
        assertThat(s3.has("subsegments")).isFalse();
    }
}
