package io.github.xrayworkbook.local.s3;

import java.io.ByteArrayInputStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.Constants;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

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

    private LocalS3(S3Proxy proxy, BlobStore store) {
        this.proxy = proxy;
        this.store = store;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
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
        return new LocalS3(proxy, store);
    }

    /** The value for {@code AWS_ENDPOINT_URL_S3}. */
    public URI endpoint() {
        return endpoint;
    }

    // Seeding goes to the store directly, not through an S3 client over HTTP: building an SDK
    // client would cost the workbench more than the whole server start.
    public void createBucket(String bucket) {
        store.createContainer(bucket);
    }

    public void putObject(String bucket, String key, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        store.putBlob(PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json")
                .contentLength((long) bytes.length).build(), new ByteArrayInputStream(bytes));
    }

    @Override
    public void close() {
        try {
            proxy.stop();
            store.close();
        } catch (Exception e) {
            throw new IllegalStateException("The local S3 server did not stop cleanly", e);
        }
    }
}
