package io.github.xrayworkbook.workbench.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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
 */
public record FunctionConfig(
        String name,
        String handler,
        Path deploymentPackage,
        String region,
        int memoryMb,
        Duration timeout,
        Map<String, String> environment) {

    public static final String ACCOUNT_ID = "123456789012";

    public String arn() {
        return "arn:aws:lambda:%s:%s:function:%s".formatted(region, ACCOUNT_ID, name);
    }
}
