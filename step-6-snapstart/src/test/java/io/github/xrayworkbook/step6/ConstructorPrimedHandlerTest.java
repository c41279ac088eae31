package io.github.xrayworkbook.step6;

import static io.github.xrayworkbook.step6.Step6Fixture.documentsReceived;
import static io.github.xrayworkbook.step6.Step6Fixture.lambdaEnvironment;
import static io.github.xrayworkbook.step6.Step6Fixture.printed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConstructorPrimedHandlerTest {

    @RegisterExtension
    static final LocalAwsExtension aws = new LocalAwsExtension();

    @BeforeAll
    static void seedBucket() {
        Step6Fixture.seed(aws);
    }

    @Test
    void theConstructorReadsTheObjectOnceAndSendsNothingToXRay() {
        aws.beginInvocationWithoutTrace();
        int before = documentsReceived(aws);

        String log = printed(() -> new ConstructorPrimedHandler(lambdaEnvironment()));

        assertThat(log).matches("constructor: primed the S3 read in \\d+ ms\\R");
        assertThat(documentsReceived(aws)).isEqualTo(before);
    }

    @Test
    void theFirstInvocationAnswersAndTracesItsOwnRead() {
        aws.beginInvocationWithoutTrace();
        ConstructorPrimedHandler[] handler = new ConstructorPrimedHandler[1];
        printed(() -> handler[0] = new ConstructorPrimedHandler(lambdaEnvironment()));
        TraceHeader trace = aws.beginInvocation(true);

        Map<String, Object> response = handler[0].handleRequest(Map.of(), null);

        assertThat(response).containsOnly(Map.entry("statusCode", 200), Map.entry("body", "Hello from S3!"));
        List<SegmentDocument> sent = aws.documentsSent(trace);
        assertThat(sent).extracting(SegmentDocument::name).containsExactly("S3");
        assertThat(sent.get(0).parentId()).contains(trace.parent());
        assertThat(sent.get(0).json().path("aws").path("operation").asText()).isEqualTo("GetObject");
    }

    @Test
    void aMissingBucketNameStillStopsTheFunctionAtStart() {
        Map<String, String> environment = lambdaEnvironment();
        environment.remove("BUCKET_NAME");

        assertThatThrownBy(() -> new ConstructorPrimedHandler(environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("BUCKET_NAME is not set: set it to the bucket that holds sample_data.json");
    }
}
