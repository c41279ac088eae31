package io.github.xrayworkbook.step2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads the {@code message} field of one JSON object in S3.
 *
 * <p>Nothing here mentions X-Ray. The {@code aws-xray-recorder-sdk-aws-sdk-v2-instrumentor} jar
 * registers a tracing interceptor for every SDK v2 client it finds on the classpath, so the
 * {@code GetObject} call below shows up in the trace as an {@code S3} subsegment.
 */
public final class SampleDataReader {

    public static final String DEFAULT_KEY = "sample_data.json";

    private static final ObjectMapper JSON = new ObjectMapper();

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
    public static SampleDataReader fromEnvironment(Map<String, String> environment) {
        String bucket = required(environment, "BUCKET_NAME", "the bucket that holds " + DEFAULT_KEY);
        String region = required(environment, "AWS_REGION", "the bucket's region, e.g. eu-west-1");
        String key = environment.getOrDefault("OBJECT_KEY", DEFAULT_KEY);
        // tag::client[]
        S3Client s3 = S3Client.builder()
                .region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.create())
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
        JsonNode message = parse(content).get("message");
        if (message == null || !message.isTextual()) {
            throw new IllegalStateException("s3://%s/%s has no \"message\" text field".formatted(bucket, key));
        }
        return message.asText();
    }
    // end::read[]

    private JsonNode parse(String content) {
        try {
            return JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("s3://%s/%s is not valid JSON: %s".formatted(
                    bucket, key, e.getOriginalMessage()), e);
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
