package io.github.xrayworkbook.workbench.cli;

/** Whether to colour output: {@code always}, {@code never}, or {@code auto} (only on a terminal). */
final class Terminal {

    private Terminal() {
    }

    static boolean colour(String mode) {
        return switch (mode) {
            case "always" -> true;
            case "never" -> false;
            case "auto" -> System.console() != null && System.getenv("NO_COLOR") == null;
            default -> throw new IllegalArgumentException("--color takes auto, always or never, not '" + mode + "'");
        };
    }
}
