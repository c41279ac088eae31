package io.github.xrayworkbook.local.s3;

import java.net.BindException;
import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.Constants;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy on 127.0.0.1, storing objects in memory and checking SigV4 signatures against one
 * access key, exactly as S3 would reject a request signed with the wrong secret.
 */
public final class LocalS3 implements AutoCloseable {

    /** The one key pair the local server accepts, for tests and local runs alike. */
    public static final String ACCESS_KEY = "workbook-access-key";
    public static final String SECRET_KEY = "workbook-secret-key";

    private final S3Proxy proxy;
    private final BlobStore store;
    private final URI endpoint;
    private final S3Client seeder;

    private LocalS3(S3Proxy proxy, BlobStore store, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.store = store;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        this.seeder = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /**
     * Starts the server on 127.0.0.1:{@code port} (0 picks a free one).
     *
     * @throws IllegalStateException if the port is taken, with a message saying what to do
     */
    public static LocalS3 start(int port, String accessKey, String secretKey) {
        Properties properties = new Properties();
        properties.setProperty(Constants.PROPERTY_IDENTITY, accessKey);
        properties.setProperty(Constants.PROPERTY_CREDENTIAL, secretKey);
        BlobStore store = BlobStores.create("transient", properties);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .stopTimeout(0)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new IllegalStateException("TCP port " + port + " on 127.0.0.1 is in use:"
                        + " stop whatever holds it or choose another port for the local S3 server", e);
            }
            throw new IllegalStateException("The local S3 server did not start: " + e.getMessage(), e);
        }
        return new LocalS3(proxy, store, accessKey, secretKey);
    }

    /** The value for {@code AWS_ENDPOINT_URL_S3}. */
    public URI endpoint() {
        return endpoint;
    }

    public void createBucket(String bucket) {
        seeder.createBucket(b -> b.bucket(bucket));
    }

    public void putObject(String bucket, String key, String content) {
        seeder.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromString(content));
    }

    @Override
    public void close() {
        seeder.close();
        try {
            proxy.stop();
            store.close();
        } catch (Exception e) {
            throw new IllegalStateException("The local S3 server did not stop cleanly", e);
        }
    }
}
