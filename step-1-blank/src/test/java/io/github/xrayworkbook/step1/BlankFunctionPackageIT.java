package io.github.xrayworkbook.step1;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.local.lambda.DeploymentPackage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BlankFunctionPackageIT {

    private final DeploymentPackage lambdaPackage =
            DeploymentPackage.open(Path.of(System.getProperty("deployment.package")));

    @Test
    void holdsTheHandlerAndNoTracingCode() {
        assertThat(lambdaPackage.contains("io/github/xrayworkbook/step1/HelloHandler.class")).isTrue();
        assertThat(lambdaPackage.entriesUnder("com/amazonaws/xray/")).isEmpty();
        assertThat(lambdaPackage.entriesUnder("software/amazon/awssdk/")).isEmpty();
    }

    @Test
    void carriesNoSignatureFiles() {
        assertThat(lambdaPackage.entries()).noneMatch(e -> e.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"));
    }
}
