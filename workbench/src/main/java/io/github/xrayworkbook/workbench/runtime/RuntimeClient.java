package io.github.xrayworkbook.workbench.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The real AWS Lambda Java runtime interface client, as the function's JVM loads it, in one of two
 * modes.
 *
 * <ul>
 *   <li>{@link Mode#NATIVE}: exactly as Lambda runs it. The client talks to the Runtime API
 *       through a JNI library that its jar holds for Linux only (x86_64 and aarch64).</li>
 *   <li>{@link Mode#PORTABLE}: for macOS, Windows and any other machine. The jar of the
 *       {@code portable-runtime-client} module goes first on the classpath: it replaces the
 *       classes that need the library, {@code NativeClient} with the same two HTTP calls in
 *       {@code java.net.http}, and for SnapStart {@code DNSManager}; every other class is the
 *       real client's ({@code restore/next} and the error reports are plain HTTP there).</li>
 * </ul>
 *
 * @param mode which of the two
 * @param libraries the folder of the client's jars ({@code workbench/target/lambda-runtime})
 * @param portableClient the stand-in's jar (used in portable mode only)
 */
public record RuntimeClient(Mode mode, Path libraries, Path portableClient) {

    static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String JNI_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    private static final String CLIENT_JAR = "aws-lambda-java-runtime-interface-client.jar";

    public enum Mode {
        NATIVE, PORTABLE;

        /** The mode for this machine: native where the client ships its library, else portable. */
        public static Mode forThisMachine() {
            return nativeLibrary() != null ? NATIVE : PORTABLE;
        }

        /**
         * Reads {@code native}, {@code portable} or {@code auto}.
         *
         * @throws IllegalArgumentException with a one-line reason for anything else, or for
         *         {@code native} on a machine the native library does not support
         */
        public static Mode parse(String choice) {
            return switch (choice.trim().toLowerCase(Locale.ROOT)) {
                case "auto" -> forThisMachine();
                case "portable" -> PORTABLE;
                case "native" -> {
                    if (nativeLibrary() == null) {
                        throw new IllegalArgumentException("--runtime-client native needs Linux on x86_64 or aarch64;"
                                + " this is " + System.getProperty("os.name") + " on " + System.getProperty("os.arch")
                                + ": use --runtime-client portable (or auto)");
                    }
                    yield NATIVE;
                }
                default -> throw new IllegalArgumentException(
                        "--runtime-client takes native, portable or auto, not '" + choice + "'");
            };
        }
    }

    /** The client as the workbench's build lays it out under {@code workbench/target}. */
    public static RuntimeClient in(Path workbenchTarget, Mode mode) {
        Path libraries = workbenchTarget.resolve("lambda-runtime");
        Path portableClient = workbenchTarget.resolve("lambda-runtime-portable").resolve("portable-runtime-client.jar");
        if (!Files.isRegularFile(libraries.resolve(CLIENT_JAR))
                || (mode == Mode.PORTABLE && !Files.isRegularFile(portableClient))) {
            throw new IllegalArgumentException(workbenchTarget + " holds no runtime interface client:"
                    + " build it with ./mvnw package -DskipTests");
        }
        return new RuntimeClient(mode, libraries, portableClient);
    }

    /**
     * What goes between {@code java} and the handler name: the classpath and, in native mode, where
     * the JNI library is. The library is copied into {@code workDir} first; the client would
     * otherwise write it to one fixed path in the temporary folder, shared by every process.
     */
    List<String> jvmArguments(Path workDir) {
        String clientJars = libraries.resolve("*").toString();
        if (mode == Mode.PORTABLE) {
            return List.of("-cp", portableClient + File.pathSeparator + clientJars, MAIN_CLASS);
        }
        return List.of("-D" + JNI_PROPERTY + "=" + extractNativeLibrary(workDir), "-cp", clientJars, MAIN_CLASS);
    }

    private Path extractNativeLibrary(Path workDir) {
        Path clientJar = libraries.resolve(CLIENT_JAR);
        String resource = nativeLibrary();
        try (ZipFile zip = new ZipFile(clientJar.toFile())) {
            ZipEntry entry = zip.getEntry(resource);
            if (entry == null) {
                throw new IllegalStateException(clientJar + " has no " + resource + ": use --runtime-client portable");
            }
            Path target = workDir.resolve("libaws-lambda-jni.so");
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the runtime interface client at " + clientJar
                    + ": build the workbench with ./mvnw package -DskipTests", e);
        }
    }

    /** The client's JNI library for this machine (Linux, glibc or musl), or null where it ships none. */
    private static String nativeLibrary() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> null;
        };
        if (!os.equals("linux") || arch == null) {
            return null;
        }
        return (musl() ? "jni/libaws-lambda-jni.linux_musl-" : "jni/libaws-lambda-jni.linux-") + arch + ".so";
    }

    /** Alpine and other musl-based Linux distributions have a musl dynamic loader in /lib. */
    private static boolean musl() {
        try (var loaders = Files.list(Path.of("/lib"))) {
            return loaders.anyMatch(path -> path.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException e) {
            return false;
        }
    }
}
