package io.github.xrayworkbook.step2;

import com.amazonaws.xray.interceptors.TracingInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The alternative to the instrumentor jar: trace one client by adding X-Ray's interceptor to it
 * yourself, with the {@code aws-xray-recorder-sdk-aws-sdk-v2} artifact instead of the
 * instrumentor. Choose one of the two. If both are present, X-Ray SDK 2.20 notices the second
 * interceptor and still records each call once, but the explicit one then does nothing.
 */
public final class ExplicitlyTracedS3Client {

    private ExplicitlyTracedS3Client() {
    }

    public static S3Client create(Region region) {
        // tag::explicit-interceptor[]
        S3Client s3 = S3Client.builder()
                .region(region)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(config -> config.addExecutionInterceptor(new TracingInterceptor()))
                .build();
        // end::explicit-interceptor[]
        return s3;
    }
}
