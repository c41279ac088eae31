package io.github.xrayworkbook.step6;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.local.junit.TracedFunctionPackageContract;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Step 2's package contract, plus what SnapStart's runtime hooks need from the package. */
class SnapStartPackageIT extends TracedFunctionPackageContract {

    @Override
    protected String handlerClassFile() {
        return "io/github/xrayworkbook/step6/SnapStartHandler.class";
    }

    /**
     * Lambda's runtime ships no org.crac: the package must. It must not ship the runtime's own
     * implementation ({@code com.amazonaws.services.lambda.crac}), which org.crac finds through
     * {@code -Dorg.crac.Core.Compat}: a copy in the package would be a second, separate registry
     * whose hooks the runtime never runs.
     */
    @Test
    void holdsOrgCracButNotTheRuntimesImplementation() {
        assertThat(lambdaPackage.entries()).contains("org/crac/Core.class", "org/crac/Resource.class",
                "org/crac/Context.class");
        assertThat(lambdaPackage.entriesUnder("com/amazonaws/services/lambda/crac/")).isEmpty();
        assertThat(lambdaPackage.contains("io/github/xrayworkbook/step6/ConstructorPrimedHandler.class")).isTrue();
    }

    /**
     * Both handlers load on a class loader that sees the package alone. The SnapStart handler is
     * also created: registering its hooks needs org.crac, which then finds no implementation
     * (none is named here) and does nothing. The constructor-primed one would read S3 from here.
     */
    @Test
    void bothHandlersLoadFromThePackageAlone() throws Exception {
        URL jar = lambdaPackage.path().toUri().toURL();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader())) {
            Class<?> primed = Class.forName("io.github.xrayworkbook.step6.ConstructorPrimedHandler", true, loader);
            assertThat(primed.getClassLoader()).isSameAs(loader);
            Class<?> handler = Class.forName("io.github.xrayworkbook.step6.SnapStartHandler", true, loader);
            assertThat(handler.getClassLoader()).isSameAs(loader);
            assertThat(Class.forName("org.crac.Resource", false, loader).getClassLoader()).isSameAs(loader);

            Constructor<?> fromEnvironment = handler.getDeclaredConstructor(Map.class);
            fromEnvironment.setAccessible(true);
            Object instance = fromEnvironment.newInstance(Map.of("BUCKET_NAME", "bucket", "AWS_REGION", "us-east-2"));
            assertThat(instance.getClass().getInterfaces()).extracting(Class::getName).containsExactly(
                    "com.amazonaws.services.lambda.runtime.RequestHandler", "org.crac.Resource");
        }
    }
}
