package io.github.xrayworkbook.workbench.run;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the workbook's built files are: the step packages under {@code step-N-.../target} and the
 * runtime client under {@code workbench/target}.
 */
public final class Workbook {

    private Workbook() {
    }

    /**
     * The workbook this workbench was built in: {@code workbench/target/xray-workbench.jar} (or
     * {@code workbench/target/classes}) sits three levels below it, wherever the command is typed.
     * Falls back to the current folder for a workbench found elsewhere.
     */
    public static Path locate() {
        return builtIn().orElse(Path.of("").toAbsolutePath());
    }

    private static Optional<Path> builtIn() {
        try {
            Path code = Path.of(Workbook.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = code.toAbsolutePath().getParent().getParent().getParent();
            return root != null && Files.isRegularFile(root.resolve("workbench/pom.xml")) ? Optional.of(root) : Optional.empty();
        } catch (URISyntaxException | NullPointerException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** {@code workbench/target}, where the runtime client's jars are laid out. */
    public static Path workbenchTarget(Path root) {
        return root.resolve("workbench").resolve("target");
    }
}
