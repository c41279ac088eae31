package io.github.xrayworkbook.step4;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads the {@code message} field of one JSON object in S3, like step 2's reader, with two
 * differences: the client is traced by OpenTelemetry's interceptor, added to this client alone,
 * and the JSON is read with the parser the AWS SDK already carries ({@code json-utils}), so the
 * package needs no Jackson databind.
 */
public final class SampleDataReader {

    public static final String DEFAULT_KEY = "sample_data.json";

    private final S3Client s3;
    private final String bucket;
    private final String key;

    public SampleDataReader(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
    }

    /**
     * Reads its settings the way Lambda passes them: {@code BUCKET_NAME} (required),
     * {@code OBJECT_KEY} (default {@value #DEFAULT_KEY}) and the {@code AWS_REGION} Lambda sets.
     */
    public static SampleDataReader fromEnvironment(Map<String, String> environment, OpenTelemetry openTelemetry) {
        String bucket = required(environment, "BUCKET_NAME", "the bucket that holds " + DEFAULT_KEY);
        String region = required(environment, "AWS_REGION", "the bucket's region, e.g. eu-west-1");
        String key = environment.getOrDefault("OBJECT_KEY", DEFAULT_KEY);
        // tag::client[]
        S3Client s3 = S3Client.builder()
                .region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(config -> config.addExecutionInterceptor(
                        AwsSdkTelemetry.create(openTelemetry).createExecutionInterceptor()))
                .build();
        // end::client[]
        return new SampleDataReader(s3, bucket, key);
    }

    // tag::read[]
    /** Downloads the object and returns its {@code message} field. */
    public String message() {
        String content;
        try {
            content = s3.getObjectAsBytes(request -> request.bucket(bucket).key(key)).asUtf8String();
        } catch (S3Exception e) {
            throw new IllegalStateException("Cannot read s3://%s/%s: %s".formatted(
                    bucket, key, e.awsErrorDetails().errorMessage()), e);
        }
        Optional<JsonNode> message = parse(content).field("message");
        if (message.isEmpty() || !message.get().isString()) {
            throw new IllegalStateException("s3://%s/%s has no \"message\" text field".formatted(bucket, key));
        }
        return message.get().asString();
    }
    // end::read[]

    private JsonNode parse(String content) {
        try {
            return JsonNode.parser().parse(content);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("s3://%s/%s is not valid JSON: %s".formatted(
                    bucket, key, e.getCause().getMessage()), e);
        }
    }

    private static String required(Map<String, String> environment, String name, String meaning) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: set it to " + meaning);
        }
        return value;
    }
}
