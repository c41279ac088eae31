package io.github.xrayworkbook.step8.zerocode;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without the agent, the handler reads three times and sends nothing to X-Ray. */
class ZeroCodeSharedPoolHandlerTest {

    static final String BUCKET = "xray-workbook-threads-zero-code";

    @RegisterExtension
    static final LocalAwsExtension aws = new LocalAwsExtension().withSampleData(BUCKET);

    @Test
    void readsThreeTimesAndSendsNoDocument() {
        TraceHeader trace = aws.beginInvocation(true);

        Map<String, Object> answer = new ZeroCodeSharedPoolHandler(Map.of("BUCKET_NAME", BUCKET, "AWS_REGION", "eu-west-1"))
                .handleRequest(Map.of(), null);

        assertThat(answer).containsEntry("statusCode", 200).containsEntry("body", "Hello from S3! Hello from S3! Hello from S3!");
        assertThat(aws.documentsSent(trace)).isEmpty();
    }
}
