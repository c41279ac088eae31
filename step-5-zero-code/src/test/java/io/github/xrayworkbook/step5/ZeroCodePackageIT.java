package io.github.xrayworkbook.step5;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.github.xrayworkbook.local.junit.UntracedFunctionPackageContract;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Step 5's deployment package: step 2's function, and nothing that traces. */
class ZeroCodePackageIT extends UntracedFunctionPackageContract {

    static final String HANDLER = "io.github.xrayworkbook.step2.S3MessageHandler";
    static final String BUCKET = "xray-workbook-step-5";

    @RegisterExtension
    static final LocalAwsExtension aws = new LocalAwsExtension();

    @Override
    protected String handlerClassFile() {
        return HANDLER.replace('.', '/') + ".class";
    }

    @Test
    void registersOnlyTheUrlConnectionHttpClient() {
        assertThat(lambdaPackage.text("META-INF/services/software.amazon.awssdk.http.SdkHttpService"))
                .hasValueSatisfying(text -> assertThat(text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")))
                        .containsExactly("software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService"));
        assertThat(lambdaPackage.entriesUnder("io/netty/")).isEmpty();
        assertThat(lambdaPackage.entriesUnder("software/amazon/awssdk/http/apache5/")).isEmpty();
    }

    /**
     * The handler, loaded from the package alone on a class loader that sees nothing else, reads
     * the object from a real S3-compatible server and answers: the package needs nothing it lacks.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theHandlerFromThePackageAloneAnswersWithTheMessage() throws Exception {
        aws.s3().createBucket(BUCKET);
        aws.s3().putObject(BUCKET, "sample_data.json", "{\"message\": \"Hello from S3!\"}");
        URL jar = lambdaPackage.path().toUri().toURL();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader())) {
            Class<?> handlerClass = Class.forName(HANDLER, true, loader);
            Constructor<?> fromEnvironment = handlerClass.getDeclaredConstructor(Map.class);
            fromEnvironment.setAccessible(true);
            Object handler = fromEnvironment.newInstance(Map.of("BUCKET_NAME", BUCKET, "AWS_REGION", "eu-west-1"));
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(loader);
            try {
                Object answer = handlerClass.getMethod("handleRequest", Object.class,
                        loader.loadClass("com.amazonaws.services.lambda.runtime.Context")).invoke(handler, Map.of(), null);
                assertThat((Map<String, Object>) answer).containsEntry("statusCode", 200)
                        .containsEntry("body", "Hello from S3!");
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }
    }
}
