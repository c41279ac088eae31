package io.github.xrayworkbook.local.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class LocalS3Test {

    @Test
    void servesWhatWasSeededAndRejectsAWrongSecret() {
        try (LocalS3 s3 = LocalS3.start(0, LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)) {
            s3.createBucket("seeded");
            s3.putObject("seeded", "sample_data.json", "{\"message\": \"Hello from S3!\"}");

            try (S3Client good = client(s3, LocalS3.SECRET_KEY); S3Client bad = client(s3, "not-the-secret")) {
                assertThat(good.getObjectAsBytes(b -> b.bucket("seeded").key("sample_data.json")).asUtf8String())
                        .isEqualTo("{\"message\": \"Hello from S3!\"}");
                assertThatThrownBy(() -> bad.getObjectAsBytes(b -> b.bucket("seeded").key("sample_data.json")))
                        .isInstanceOf(S3Exception.class)
                        .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
            }
        }
    }

    @Test
    void refusesAPortInUseWithAnExplanation() {
        try (LocalS3 first = LocalS3.start(0, LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)) {
            int port = first.endpoint().getPort();

            assertThatThrownBy(() -> LocalS3.start(port, LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("TCP port " + port + " on 127.0.0.1 is in use:"
                            + " stop whatever holds it or choose another port for the local S3 server");
        }
    }

    private static S3Client client(LocalS3 s3, String secret) {
        return S3Client.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalS3.ACCESS_KEY, secret)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
