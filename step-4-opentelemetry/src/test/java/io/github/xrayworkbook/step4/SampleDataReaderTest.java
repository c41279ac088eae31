package io.github.xrayworkbook.step4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SampleDataReaderTest {

    static final String BUCKET = "xray-workbook-step-4-reader";

    @RegisterExtension
    static final LocalAwsExtension aws = new LocalAwsExtension().withSampleData(BUCKET);

    @BeforeAll
    static void seedBucket() {
        aws.s3().putObject(BUCKET, "broken.json", "{\"message\": ");
        aws.s3().putObject(BUCKET, "no-message.json", "{\"text\": \"Hello\"}");
    }

    private static SampleDataReader reader(String key) {
        return SampleDataReader.fromEnvironment(
                Map.of("BUCKET_NAME", BUCKET, "AWS_REGION", "us-east-2", "OBJECT_KEY", key), OpenTelemetry.noop());
    }

    @Test
    void readsTheMessageWithTheAwsSdksOwnJsonParser() {
        assertThat(reader("sample_data.json").message()).isEqualTo("Hello from S3!");
    }

    @Test
    void saysWhichObjectIsNotJson() {
        assertThatThrownBy(() -> reader("broken.json").message())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("s3://" + BUCKET + "/broken.json is not valid JSON: ");
    }

    @Test
    void saysWhichObjectHasNoMessage() {
        assertThatThrownBy(() -> reader("no-message.json").message())
                .hasMessage("s3://" + BUCKET + "/no-message.json has no \"message\" text field");
    }

    @Test
    void namesTheSettingThatIsMissing() {
        assertThatThrownBy(() -> SampleDataReader.fromEnvironment(Map.of("AWS_REGION", "us-east-2"), OpenTelemetry.noop()))
                .hasMessage("BUCKET_NAME is not set: set it to the bucket that holds sample_data.json");
    }
}
