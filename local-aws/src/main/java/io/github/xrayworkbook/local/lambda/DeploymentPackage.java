package io.github.xrayworkbook.local.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A step's deployment package: the jar that is uploaded to Lambda, read entry by entry.
 */
public final class DeploymentPackage {

    private final Path jar;
    private final List<String> entries;

    private DeploymentPackage(Path jar, List<String> entries) {
        this.jar = jar;
        this.entries = entries;
    }

    /**
     * Opens a built package.
     *
     * @throws IllegalStateException if it is missing, with the command that builds it
     */
    public static DeploymentPackage open(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build it with ./mvnw package");
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return new DeploymentPackage(jar, Collections.list(zip.entries()).stream()
                    .map(ZipEntry::getName).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(jar + " is not a readable jar: " + e.getMessage(), e);
        }
    }

    public Path path() {
        return jar;
    }

    public long sizeInBytes() {
        try {
            return Files.size(jar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> entries() {
        return entries;
    }

    public boolean contains(String entry) {
        return entries.contains(entry);
    }

    /** Entries whose name starts with the prefix, e.g. {@code io/netty/}. */
    public List<String> entriesUnder(String prefix) {
        return entries.stream().filter(e -> e.startsWith(prefix)).toList();
    }

    /** The text of one entry, if present. */
    public Optional<String> text(String entry) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry found = zip.getEntry(entry);
            if (found == null) {
                return Optional.empty();
            }
            try (InputStream in = zip.getInputStream(found)) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The classes whose constant pool names anything under a package, given in internal form
     * ({@code org/apache/http/}). Class names are stored as plain UTF-8 in a class file, so a
     * class that never mentions the package cannot load anything from it.
     */
    public List<String> classesReferring(String internalPackage) {
        byte[] needle = internalPackage.getBytes(StandardCharsets.UTF_8);
        List<String> referring = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (!entry.getName().endsWith(".class") || entry.getName().startsWith(internalPackage)) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    if (indexOf(in.readAllBytes(), needle) >= 0) {
                        referring.add(entry.getName());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return referring;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
