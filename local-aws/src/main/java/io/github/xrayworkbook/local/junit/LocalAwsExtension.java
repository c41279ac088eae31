package io.github.xrayworkbook.local.junit;

import io.github.xrayworkbook.local.s3.LocalS3;
import io.github.xrayworkbook.local.schema.SegmentDocumentSchema;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.StoredTrace;
import io.github.xrayworkbook.local.xray.TraceHeader;
import io.github.xrayworkbook.local.xray.XRayDaemon;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Prepares a test JVM to run a Lambda handler in-process with real tracing.
 *
 * <ul>
 *   <li>One {@link XRayDaemon} per JVM, since the X-Ray SDK's global recorder reads the daemon
 *       address once; its address goes into {@code com.amazonaws.xray.emitters.daemonAddress}.</li>
 *   <li>One {@link LocalS3} per test class; the AWS SDK finds it through the standard
 *       {@code aws.endpointUrlS3} setting (the system-property twin of
 *       {@code AWS_ENDPOINT_URL_S3}) and signs with {@link #ACCESS_KEY}/{@link #SECRET_KEY}.</li>
 *   <li>{@link #beginInvocation(boolean)} sets the trace header the Lambda runtime client would
 *       set ({@code com.amazonaws.xray.traceHeader}); it is cleared after each test.</li>
 * </ul>
 *
 * The X-Ray SDK only runs in Lambda mode when {@code LAMBDA_TASK_ROOT} is in the environment,
 * so the build sets it for the test JVM.
 */
public final class LocalAwsExtension implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    public static final String ACCESS_KEY = LocalS3.ACCESS_KEY;
    public static final String SECRET_KEY = LocalS3.SECRET_KEY;
    public static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SegmentDocumentSchema SCHEMA = SegmentDocumentSchema.load();
    private static XRayDaemon sharedDaemon;

    /** What every step's bucket holds, as the scripts upload it in an account. */
    public static final String SAMPLE_KEY = "sample_data.json";
    public static final String SAMPLE_DATA = "{\"message\": \"Hello from S3!\"}";

    private final List<String> sampleBuckets;
    private LocalS3 s3;

    public LocalAwsExtension() {
        this(List.of());
    }

    private LocalAwsExtension(List<String> sampleBuckets) {
        this.sampleBuckets = sampleBuckets;
    }

    /** This extension, which also makes {@code bucket} with {@value #SAMPLE_KEY} in it before the tests. */
    public LocalAwsExtension withSampleData(String bucket) {
        List<String> buckets = new java.util.ArrayList<>(sampleBuckets);
        buckets.add(bucket);
        return new LocalAwsExtension(List.copyOf(buckets));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (System.getenv("LAMBDA_TASK_ROOT") == null) {
            throw new IllegalStateException("LAMBDA_TASK_ROOT is not set, so the X-Ray SDK is not in Lambda mode:"
                    + " run the tests through Maven (the parent POM sets it for Surefire)");
        }
        daemon();
        s3 = LocalS3.start(0, ACCESS_KEY, SECRET_KEY);
        for (String bucket : sampleBuckets) {
            s3.createBucket(bucket);
            s3.putObject(bucket, SAMPLE_KEY, SAMPLE_DATA);
        }
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        System.setProperty("aws.endpointUrlS3", s3.endpoint().toString());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.clearProperty(TRACE_HEADER_PROPERTY);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty("aws.endpointUrlS3");
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (s3 != null) {
            s3.close();
        }
    }

    /** The JVM's daemon, started on first use. */
    public static synchronized XRayDaemon daemon() {
        if (sharedDaemon == null) {
            sharedDaemon = XRayDaemon.start();
            System.setProperty("com.amazonaws.xray.emitters.daemonAddress", sharedDaemon.address());
        }
        return sharedDaemon;
    }

    public LocalS3 s3() {
        return s3;
    }

    /** Starts a new trace for the next invocation, as Lambda does before calling the handler. */
    public TraceHeader beginInvocation(boolean sampled) {
        TraceHeader header = TraceHeader.newTrace(sampled);
        System.setProperty(TRACE_HEADER_PROPERTY, header.toString());
        return header;
    }

    /**
     * Every document the SDK has sent for the trace so far, once the daemon has received all
     * datagrams sent before this call. Each document an X-Ray SDK sent is checked against AWS's
     * schema first; what the daemon converted from OpenTelemetry spans is checked as X-Ray stores
     * it, by {@link #documentsStored}.
     *
     * @throws AssertionError naming the document and its violations if one is invalid
     */
    public List<SegmentDocument> documentsSent(TraceHeader trace) {
        if (!daemon().sync(Duration.ofSeconds(5))) {
            throw new AssertionError("The local X-Ray daemon did not catch up within 5 s");
        }
        List<SegmentDocument> documents = daemon().documents(trace.root());
        for (SegmentDocument document : documents) {
            if (!document.convertedFromSpan()) {
                requireValid(document.json());
            }
        }
        return documents;
    }

    /**
     * The trace's documents as X-Ray would store them ({@link StoredTrace}), each checked against
     * AWS's schema.
     *
     * @throws AssertionError naming the document and its violations if one is invalid
     */
    public List<JsonNode> documentsStored(TraceHeader trace) {
        List<JsonNode> stored = StoredTrace.nest(documentsSent(trace).stream().map(SegmentDocument::json).toList());
        stored.forEach(LocalAwsExtension::requireValid);
        return stored;
    }

    private static void requireValid(JsonNode document) {
        List<String> violations = SCHEMA.violations(document);
        if (!violations.isEmpty()) {
            throw new AssertionError("Not a valid segment document: " + violations + "\n" + document);
        }
    }

    /** Parses JSON text, for comparing a document's field with an expected value. */
    public JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not JSON: " + text, e);
        }
    }

    /** The next invocation runs with no trace header at all, as a handler called outside Lambda. */
    public void beginInvocationWithoutTrace() {
        System.clearProperty(TRACE_HEADER_PROPERTY);
    }
}
