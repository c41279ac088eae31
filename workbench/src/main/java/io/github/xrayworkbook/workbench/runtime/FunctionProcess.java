package io.github.xrayworkbook.workbench.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The function's own JVM, started the way the java21 runtime starts it: the deployment package
 * unpacked into the task root (the working directory, as {@code /var/task} is in Lambda), the real
 * runtime interface client as main class with the handler as its argument, Lambda's JVM flags
 * ({@link #LAMBDA_JVM_FLAGS}), and the Lambda environment.
 */
final class FunctionProcess {

    /**
     * The flags Lambda's Java runtime starts the JVM with, from command lines printed inside Lambda
     * and published: /proc/self/cmdline of a java17 function (runtime java:17.v14, runtime client
     * 2.4.1, October 2023) in sigpwned/the-lambda-iceberg-dissecting-the-official-java-runtimes,
     * data/17/1024.txt; the java17 command line of October 2024 (runtime client 2.5.1) in
     * humangraphics/backend-lambda-layer, lambda-exec-wrapper.sh; and OpenTelemetry's
     * process.command_args of a java17 function (runtime client 2.6.0) in
     * aws-observability/aws-otel-java-instrumentation pull request 961. No full command line of the
     * java21 runtime was found published; the workbench takes the java17 one.
     *
     * <ul>
     *   <li>tiered compilation stopped at level 1 (C1 only) and the serial collector: all three;</li>
     *   <li>{@code --add-opens=java.base/java.io=ALL-UNNAMED}: all three; the runtime client opens a
     *       FileDescriptor by reflection for its telemetry log;</li>
     *   <li>{@code -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac}: all three; org.crac's
     *       Core reads this property, so a function's {@code org.crac} hooks register with the
     *       runtime client's own implementation, which runs them under SnapStart;</li>
     *   <li>{@code -Djava.net.preferIPv4Stack=true}: the October 2023 java17 line (and the java11
     *       ones of 2023), no longer in the October 2024 one; kept here, where everything listens on
     *       127.0.0.1;</li>
     *   <li>{@code -XX:+ErrorFileToStderr}: all three.</li>
     * </ul>
     *
     * Not taken: {@code -Xshare:on} with Lambda's own archive of the JDK's classes
     * ({@code -Xshare:auto} uses this JDK's default one), and Lambda's log4j hot-patch agent.
     */
    static final List<String> LAMBDA_JVM_FLAGS = List.of(
            "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
            "-Djava.net.preferIPv4Stack=true",
            "-XX:+ErrorFileToStderr");

    private FunctionProcess() {
    }

    /**
     * Unpacks the deployment package as Lambda does before the first cold start. A task root
     * already unpacked from the same package (same path, size and time) is reused.
     */
    static Path unpack(Path deploymentPackage, Path taskRoot) {
        Path stamp = taskRoot.resolveSibling(taskRoot.getFileName() + ".unpacked-from");
        try {
            String source = DeploymentPackageFiles.stamp(deploymentPackage);
            if (Files.isDirectory(taskRoot) && Files.exists(stamp) && Files.readString(stamp).equals(source)) {
                return taskRoot;
            }
            Files.deleteIfExists(stamp);
            DeploymentPackageFiles.deleteTree(taskRoot);
            DeploymentPackageFiles.unzip(deploymentPackage, taskRoot);
            Files.writeString(stamp, source);
            return taskRoot;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack " + deploymentPackage + ": " + e.getMessage(), e);
        }
    }

    static Process start(FunctionConfig config, Path taskRoot, RuntimeClient runtimeClient, Path workDir,
                         Map<String, String> environment, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long memoryKb = config.memoryMb() * 1024L;
        // Published command lines: 85 % of the memory up to 1024 MB (891289k for 1024 MB), the
        // memory less 248832k above it (3945472k for 4096 MB). AWS does not document the rule.
        long heapKb = Math.max(memoryKb * 85 / 100, memoryKb - 248_832);
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(LAMBDA_JVM_FLAGS);
        command.add("-XX:MaxHeapSize=" + heapKb + "k");
        command.addAll(runtimeClient.jvmArguments(workDir));
        command.add(config.handler());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(taskRoot.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the function's JVM (" + java + "): " + e.getMessage(), e);
        }
    }
}
