package io.github.xrayworkbook.workbench.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Comparator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** A deployment package's files on disk: unpacking it, the stamp of what was unpacked, removing it. */
public final class DeploymentPackageFiles {

    private DeploymentPackageFiles() {
    }

    /** What a task root records it was unpacked from: the package's path, size and time. */
    public static String stamp(Path deploymentPackage) throws IOException {
        return deploymentPackage.toAbsolutePath() + " " + Files.size(deploymentPackage) + " "
                + Files.getLastModifiedTime(deploymentPackage).toMillis();
    }

    /** Writes every entry of the package below {@code root}, refusing entries that would land outside it. */
    public static void unzip(Path deploymentPackage, Path root) throws IOException {
        Files.createDirectories(root);
        try (ZipFile zip = new ZipFile(deploymentPackage.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
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
        }
    }

    /** Removes a folder and everything below it; a link is removed, not followed. Nothing there is fine. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
