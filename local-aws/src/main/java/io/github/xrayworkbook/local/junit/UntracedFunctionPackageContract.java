package io.github.xrayworkbook.local.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What a deployment package meant for the OpenTelemetry agent must leave out: anything that traces
 * by itself, which would trace the function a second time beside the agent. A packaging test
 * extends this and names its handler class; the build passes the package's path in the
 * {@code deployment.package} system property.
 */
public abstract class UntracedFunctionPackageContract extends FunctionPackageContract {

    @Test
    void holdsNoXRayOrOpenTelemetryClassAndRegistersNoInterceptor() {
        assertThat(lambdaPackage.entriesUnder("com/amazonaws/xray/")).isEmpty();
        assertThat(lambdaPackage.entriesUnder("io/opentelemetry/")).isEmpty();
        assertThat(lambdaPackage.classesReferring("com/amazonaws/xray/")).isEmpty();
        assertThat(lambdaPackage.classesReferring("io/opentelemetry/")).isEmpty();
        assertThat(lambdaPackage.text("software/amazon/awssdk/global/handlers/execution.interceptors")).isEmpty();
    }
}
