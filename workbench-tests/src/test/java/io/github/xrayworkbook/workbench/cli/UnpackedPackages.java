package io.github.xrayworkbook.workbench.cli;

import io.github.xrayworkbook.workbench.run.Step;
import io.github.xrayworkbook.workbench.runtime.DeploymentPackageFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Deployment packages unpacked once for all the tests' runs. The workbench unpacks a step's
 * package into {@code OUT/function/task} before the first invocation, as Lambda prepares code when
 * a function is created, and reuses a task root that {@code OUT/function/task.unpacked-from} says
 * holds the same package (path, size and time). A package of the S3 steps is some 6,700 files:
 * unpacking it costs a run a second or two, outside the trace and the cold start, and every test
 * run writes into a fresh folder. So a run's folder gets a link to the package unpacked here once
 * (until its content changes), and that stamp; the workbench then finds its task root ready. What it unpacks itself is still
 * tested by the runs of packages of their own ({@code FaultsIT}, {@code SnapStartHooksIT}), the
 * browser test's and {@code FrontDoorProcessIT}'s. Where links cannot be made, runs unpack as usual.
 */
final class UnpackedPackages {

    private static final Path FOLDER = Path.of(System.getProperty("workbench.unpacked-packages",
            System.getProperty("java.io.tmpdir") + "/workbench-unpacked-packages"));

    /** By the stamp of the package (path, size, time), in this JVM. */
    private static final Map<String, Path> UNPACKED = new HashMap<>();

    private UnpackedPackages() {
    }

    /**
     * Readies {@code out/function/task} for {@code workbench run ARGS}, unless a task root is
     * already there or the arguments name no package that exists.
     */
    static void seed(Path out, List<String> args) {
        Path deploymentPackage = deploymentPackage(args);
        if (deploymentPackage == null || !Files.isRegularFile(deploymentPackage)) {
            return;
        }
        try {
            String stamp = DeploymentPackageFiles.stamp(deploymentPackage);
            Path function = Files.createDirectories(out.resolve("function"));
            Path task = function.resolve("task");
            if (Files.exists(task, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            Files.createSymbolicLink(task, unpacked(deploymentPackage, stamp));
            Files.writeString(function.resolve("task.unpacked-from"), stamp);
        } catch (IOException | UnsupportedOperationException e) {
            // No links here (Windows without the privilege, say): the workbench unpacks as usual.
        }
    }

    /** The package the workbench runs for these arguments: {@code --package}, or the step's own. */
    private static Path deploymentPackage(List<String> args) {
        int option = args.indexOf("--package");
        if (option >= 0 && option + 1 < args.size()) {
            return Path.of(args.get(option + 1)).toAbsolutePath();
        }
        Path workbook = LocalRunResult.ROOT.toAbsolutePath().normalize();
        try {
            return Step.parse(args.get(0), workbook).deploymentPackage(workbook);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The package unpacked under {@link #FOLDER}, once for its content: the names, sizes and CRCs
     * of its entries, which stay the same from build to build while the jar's time and its entries'
     * times do not.
     */
    private static synchronized Path unpacked(Path deploymentPackage, String stamp) throws IOException {
        Path known = UNPACKED.get(stamp);
        if (known != null && Files.isDirectory(known)) {
            return known;
        }
        Path root = unpack(deploymentPackage);
        UNPACKED.put(stamp, root);
        return root;
    }

    private static Path unpack(Path deploymentPackage) throws IOException {
        String name = deploymentPackage.getFileName() + "-" + content(deploymentPackage);
        Path root = FOLDER.resolve(name);
        if (Files.isDirectory(root)) {
            return root;
        }
        // Earlier builds' copies of this package go: one copy of each package is kept.
        try (var earlier = Files.list(Files.createDirectories(FOLDER))) {
            for (Path copy : earlier.filter(path -> path.getFileName().toString()
                    .startsWith(deploymentPackage.getFileName() + "-")).toList()) {
                DeploymentPackageFiles.deleteTree(copy);
            }
        }
        Path partial = FOLDER.resolve(name + ".partial");
        DeploymentPackageFiles.unzip(deploymentPackage, partial);
        Files.move(partial, root, StandardCopyOption.ATOMIC_MOVE);
        return root;
    }

    private static String content(Path deploymentPackage) throws IOException {
        try (ZipFile zip = new ZipFile(deploymentPackage.toFile())) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (ZipEntry entry : Collections.list(zip.entries())) {
                digest.update((entry.getName() + " " + entry.getSize() + " " + entry.getCrc() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
