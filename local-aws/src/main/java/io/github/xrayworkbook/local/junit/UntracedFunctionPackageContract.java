package io.github.xrayworkbook.local.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.local.lambda.DeploymentPackage;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a deployment package meant for the OpenTelemetry agent must leave out: anything that traces
 * by itself, which would trace the function a second time beside the agent. A packaging test
 * extends this and names its handler class; the build passes the package's path in the
 * {@code deployment.package} system property.
 */
public abstract class UntracedFunctionPackageContract {

    protected DeploymentPackage lambdaPackage;

    /** The handler's class file, e.g. {@code io/github/xrayworkbook/step2/S3MessageHandler.class}. */
    protected abstract String handlerClassFile();

    @BeforeEach
    void openPackage() {
        lambdaPackage = DeploymentPackage.open(Path.of(System.getProperty("deployment.package")));
    }

    @Test
    void holdsTheHandler() {
        assertThat(lambdaPackage.contains(handlerClassFile())).isTrue();
    }

    @Test
    void holdsNoXRayOrOpenTelemetryClassAndRegistersNoInterceptor() {
        assertThat(lambdaPackage.entriesUnder("com/amazonaws/xray/")).isEmpty();
        assertThat(lambdaPackage.entriesUnder("io/opentelemetry/")).isEmpty();
        assertThat(lambdaPackage.classesReferring("com/amazonaws/xray/")).isEmpty();
        assertThat(lambdaPackage.classesReferring("io/opentelemetry/")).isEmpty();
        assertThat(lambdaPackage.text("software/amazon/awssdk/global/handlers/execution.interceptors")).isEmpty();
    }
}
