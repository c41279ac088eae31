package io.github.xrayworkbook.workbench.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The function's own JVM, started the way the java21 runtime starts it: the deployment package
 * unpacked into the task root (the working directory, as {@code /var/task} is in Lambda), the real
 * runtime interface client as main class with the handler as its argument, tiered compilation
 * stopped at level 1, the serial collector, and the Lambda environment.
 */
final class FunctionProcess {

    private FunctionProcess() {
    }

    /**
     * Unpacks the deployment package as Lambda does before the first cold start. A task root
     * already unpacked from the same package (same path, size and time) is reused.
     */
    static Path unpack(Path deploymentPackage, Path taskRoot) {
        Path stamp = taskRoot.resolveSibling(taskRoot.getFileName() + ".unpacked-from");
        try (ZipFile zip = new ZipFile(deploymentPackage.toFile())) {
            String source = deploymentPackage.toAbsolutePath() + " " + Files.size(deploymentPackage) + " "
                    + Files.getLastModifiedTime(deploymentPackage).toMillis();
            if (Files.isDirectory(taskRoot) && Files.exists(stamp) && Files.readString(stamp).equals(source)) {
                return taskRoot;
            }
            Files.deleteIfExists(stamp);
            deleteTree(taskRoot);
            Files.createDirectories(taskRoot);
            for (ZipEntry entry : Collections.list(zip.entries())) {
                Path target = taskRoot.resolve(entry.getName()).normalize();
                if (!target.startsWith(taskRoot)) {
                    throw new IllegalStateException(deploymentPackage + " has an entry outside its root: " + entry);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Files.writeString(stamp, source);
            return taskRoot;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack " + deploymentPackage + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static Process start(FunctionConfig config, Path taskRoot, RuntimeClient runtimeClient, Path workDir,
                         Map<String, String> environment, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long heapKb = config.memoryMb() * 1024L * 85 / 100;
        List<String> command = new ArrayList<>(List.of(
                java,
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xshare:auto",
                "-XX:MaxHeapSize=" + heapKb + "k"));
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
