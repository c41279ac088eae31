package io.github.xrayworkbook.workbench.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A function as Lambda would be told about it.
 *
 * @param name function name
 * @param handler e.g. {@code io.github.xrayworkbook.step1.HelloHandler::handleRequest}
 * @param deploymentPackage the jar uploaded to Lambda
 * @param region the region the function "runs" in
 * @param memoryMb configured memory, which sizes the heap as Lambda sizes it
 * @param timeout the function timeout
 * @param environment the function's own variables, plus where its AWS services are
 * @param execWrapper what {@code AWS_LAMBDA_EXEC_WRAPPER} names, if anything: a script of a layer
 *        that Lambda runs instead of the runtime, which changes the runtime's environment and then
 *        starts it; here, the change it makes
 */
public record FunctionConfig(
        String name,
        String handler,
        Path deploymentPackage,
        String region,
        int memoryMb,
        Duration timeout,
        Map<String, String> environment,
        Optional<UnaryOperator<Map<String, String>>> execWrapper) {

    /** A function without an exec wrapper. */
    public FunctionConfig(String name, String handler, Path deploymentPackage, String region, int memoryMb,
                          Duration timeout, Map<String, String> environment) {
        this(name, handler, deploymentPackage, region, memoryMb, timeout, environment, Optional.empty());
    }

    public static final String ACCOUNT_ID = "123456789012";

    public String arn() {
        return "arn:aws:lambda:%s:%s:function:%s".formatted(region, ACCOUNT_ID, name);
    }
}
