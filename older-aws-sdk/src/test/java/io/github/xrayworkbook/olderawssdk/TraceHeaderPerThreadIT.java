package io.github.xrayworkbook.olderawssdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;

/**
 * The trace header a function with no tracing library sends to S3, through the AWS SDK alone: step
 * 5's package (this build's AWS SDK) beside this module's (the AWS SDK 2.33.13), in the same run.
 * Each is loaded as Lambda loads a function: its own class loader, asking the runtime's first,
 * where the runtime client's {@code SdkInternalThreadLocal} is.
 */
class TraceHeaderPerThreadIT {

    static final String TRACE_HEADER = "Root=1-6b130000-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1";
    static final String HANDLER = "io.github.xrayworkbook.step2.S3MessageHandler";
    static final String PROPERTY = "com.amazonaws.xray.traceHeader";

    private HeaderRecordingS3Stub s3;

    @BeforeEach
    void startS3() throws Exception {
        s3 = HeaderRecordingS3Stub.start();
        System.setProperty("aws.endpointUrlS3", s3.endpoint());
    }

    @AfterEach
    void stopS3() {
        System.clearProperty("aws.endpointUrlS3");
        System.clearProperty(PROPERTY);
        s3.close();
    }

    /** Managed Instances: the runtime client keeps the id in its thread-local, sets no property. */
    @Test
    void manyAtOnceOnlyTheAwsSdkFrom2340PassesOnTheIdTheRuntimeClientKeepsPerThread() throws Exception {
        assertThat(headerSent(Path.of(System.getProperty("current.package")), true)).contains(TRACE_HEADER);
        assertThat(headerSent(Path.of(System.getProperty("deployment.package")), true)).isEmpty();
    }

    /** One at a time: the runtime client sets the system property, which both versions read. */
    @Test
    void oneAtATimeBothPassItOn() throws Exception {
        System.setProperty(PROPERTY, TRACE_HEADER);
        assertThat(headerSent(Path.of(System.getProperty("current.package")), false)).contains(TRACE_HEADER);
        assertThat(headerSent(Path.of(System.getProperty("deployment.package")), false)).contains(TRACE_HEADER);
    }

    /** Runs the package's handler once on a new thread, as a runtime worker, and returns the header S3 got. */
    private Optional<String> headerSent(Path deploymentPackage, boolean perThread) throws Exception {
        URL runtimeJar = SdkInternalThreadLocal.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader runtime = new URLClassLoader(new URL[] {runtimeJar}, ClassLoader.getPlatformClassLoader());
             URLClassLoader function = new URLClassLoader(new URL[] {deploymentPackage.toUri().toURL()}, runtime)) {
            Class<?> threadLocal = runtime.loadClass(SdkInternalThreadLocal.class.getName());
            CompletableFuture<Object> answer = new CompletableFuture<>();
            Thread worker = new Thread(() -> {
                try {
                    if (perThread) {
                        threadLocal.getMethod("put", String.class, String.class).invoke(null, "AWS_LAMBDA_X_TRACE_ID", TRACE_HEADER);
                    }
                    Class<?> handlerClass = Class.forName(HANDLER, true, function);
                    Constructor<?> fromEnvironment = handlerClass.getDeclaredConstructor(Map.class);
                    fromEnvironment.setAccessible(true);
                    Object handler = fromEnvironment.newInstance(Map.of("BUCKET_NAME", "step-5", "AWS_REGION", "eu-west-1"));
                    answer.complete(handlerClass.getMethod("handleRequest", Object.class,
                            function.loadClass("com.amazonaws.services.lambda.runtime.Context")).invoke(handler, Map.of(), null));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    answer.completeExceptionally(e);
                }
            });
            worker.setContextClassLoader(function);
            worker.start();
            assertThat(answer.get()).asString().contains("Hello from S3!");
            return s3.lastTraceHeader();
        }
    }
}
