package io.github.xrayworkbook.step4;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.local.lambda.DeploymentPackage;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What step 4's deployment package holds, and leaves out. */
class OpenTelemetryPackageIT {

    static final String HANDLER = "io.github.xrayworkbook.step4.OpenTelemetryHandler";

    private DeploymentPackage lambdaPackage;

    @BeforeEach
    void openPackage() {
        lambdaPackage = DeploymentPackage.open(Path.of(System.getProperty("deployment.package")));
    }

    @Test
    void holdsNoXRaySdkClass() {
        assertThat(lambdaPackage.entriesUnder("com/amazonaws/xray/")).isEmpty();
        assertThat(lambdaPackage.classesReferring("com/amazonaws/xray/")).isEmpty();
        assertThat(lambdaPackage.text("software/amazon/awssdk/global/handlers/execution.interceptors")).isEmpty();
    }

    @Test
    void holdsNoJacksonDatabind() {
        assertThat(lambdaPackage.entriesUnder("com/fasterxml/jackson/")).isEmpty();
    }

    @Test
    void registersOnlyTheUrlConnectionHttpClient() {
        assertThat(lambdaPackage.text("META-INF/services/software.amazon.awssdk.http.SdkHttpService"))
                .hasValueSatisfying(text -> assertThat(text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")))
                        .containsExactly("software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService"));
        assertThat(lambdaPackage.entriesUnder("software/amazon/awssdk/http/apache5/")).isEmpty();
        assertThat(lambdaPackage.entriesUnder("software/amazon/awssdk/http/apache/")).isEmpty();
        assertThat(lambdaPackage.entriesUnder("software/amazon/awssdk/http/nio/netty/")).isEmpty();
        assertThat(lambdaPackage.entriesUnder("io/netty/")).isEmpty();
    }

    @Test
    void carriesNoSignatureFiles() {
        assertThat(lambdaPackage.entries()).noneMatch(e -> e.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"));
    }

    /**
     * Lambda creates the handler once per execution environment; doing the same from the package
     * alone, on a class loader that sees nothing else, proves every class it needs is inside.
     */
    @Test
    void theHandlerLoadsFromThePackageAlone() throws Exception {
        assertThat(lambdaPackage.contains(HANDLER.replace('.', '/') + ".class")).isTrue();
        URL jar = lambdaPackage.path().toUri().toURL();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader())) {
            Class<?> handler = Class.forName(HANDLER, true, loader);
            assertThat(handler.getClassLoader()).isSameAs(loader);
            Constructor<?> fromEnvironment = handler.getDeclaredConstructor(Map.class);
            fromEnvironment.setAccessible(true);
            Object instance = fromEnvironment.newInstance(Map.of("BUCKET_NAME", "bucket", "AWS_REGION", "us-east-2",
                    "AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2000"));
            assertThat(instance.getClass().getInterfaces()).extracting(Class::getName)
                    .containsExactly("com.amazonaws.services.lambda.runtime.RequestHandler");
        }
    }
}
