package io.github.xrayworkbook.local.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What every deployment package of a step that calls AWS through a traced SDK v2 client must
 * hold, and must leave out. A step's packaging test extends this and names its handler class;
 * the build passes the package's path in the {@code deployment.package} system property.
 */
public abstract class TracedFunctionPackageContract extends FunctionPackageContract {

    @Test
    void registersTheXRayInterceptorForEverySdkClient() {
        assertThat(lambdaPackage.text("software/amazon/awssdk/global/handlers/execution.interceptors"))
                .hasValueSatisfying(text -> assertThat(text.lines())
                        .contains("com.amazonaws.xray.interceptors.TracingInterceptor"));
        assertThat(lambdaPackage.contains("com/amazonaws/xray/interceptors/TracingInterceptor.class")).isTrue();
    }

    @Test
    void registersOnlyTheUrlConnectionHttpClient() {
        assertThat(lambdaPackage.text("META-INF/services/software.amazon.awssdk.http.SdkHttpService"))
                .hasValueSatisfying(text -> assertThat(text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")))
                        .containsExactly("software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService"));
        assertThat(lambdaPackage.text("META-INF/services/software.amazon.awssdk.http.async.SdkAsyncHttpService"))
                .isEmpty();
    }

    @Test
    void leavesOutHttpStacksTheFunctionNeverLoads() {
        assertThat(lambdaPackage.entriesUnder("software/amazon/awssdk/http/apache5/")).isEmpty();
        assertThat(lambdaPackage.entriesUnder("software/amazon/awssdk/http/apache/")).isEmpty();
        assertThat(lambdaPackage.entriesUnder("software/amazon/awssdk/http/nio/netty/")).isEmpty();
        assertThat(lambdaPackage.entriesUnder("io/netty/")).isEmpty();
        assertThat(lambdaPackage.entriesUnder("org/apache/hc/")).isEmpty();
        assertThat(lambdaPackage.entriesUnder("org/apache/http/")).isEmpty();
        assertThat(lambdaPackage.entriesUnder("net/bytebuddy/")).isEmpty();
    }

    /** The proof that Apache HttpClient 4 can go: only the X-Ray EKS plugin's helper names it. */
    @Test
    void onlyTheEksPluginWouldHaveLoadedApacheHttpClient() {
        assertThat(lambdaPackage.classesReferring("org/apache/http/"))
                .containsExactly("com/amazonaws/xray/utils/ContainerInsightsUtil.class");
    }

    @Test
    void carriesNoSignatureFiles() {
        assertThat(lambdaPackage.entries()).noneMatch(e -> e.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"));
    }
}
