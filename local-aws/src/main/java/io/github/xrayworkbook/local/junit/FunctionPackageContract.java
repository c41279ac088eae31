package io.github.xrayworkbook.local.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.local.lambda.DeploymentPackage;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every deployment package holds: its handler. The build passes the package's path in the
 * {@code deployment.package} system property; a packaging test names the handler's class.
 */
public abstract class FunctionPackageContract {

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
}
