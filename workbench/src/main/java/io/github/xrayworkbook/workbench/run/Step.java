package io.github.xrayworkbook.workbench.run;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The workbook's steps, as the workbench runs them. */
public enum Step {
    STEP_1("step-1-blank", "io.github.xrayworkbook.step1.HelloHandler::handleRequest", false, false),
    STEP_2("step-2-s3-patched", "io.github.xrayworkbook.step2.S3MessageHandler::handleRequest", true, false),
    STEP_3("step-3-subsegments", "io.github.xrayworkbook.step3.SubsegmentHandler::handleRequest", true, true),
    STEP_4("step-4-opentelemetry", "io.github.xrayworkbook.step4.OpenTelemetryHandler::handleRequest", true, true);

    /** The bucket a local run seeds; in AWS the name must be unique, locally any name will do. */
    public static final String LOCAL_BUCKET = "xray-workbook-local";
    public static final String SAMPLE_KEY = "sample_data.json";
    public static final String SAMPLE_DATA = "{\"message\": \"Hello from S3!\"}";

    private final String module;
    private final String handler;
    private final boolean readsS3;
    private final boolean failsOnPurpose;

    Step(String module, String handler, boolean readsS3, boolean failsOnPurpose) {
        this.module = module;
        this.handler = handler;
        this.readsS3 = readsS3;
        this.failsOnPurpose = failsOnPurpose;
    }

    /** Accepts {@code step-2}, {@code 2} or the module name {@code step-2-s3-patched}. */
    public static Step parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (Step step : values()) {
            if (wanted.equals(step.shortName()) || wanted.equals(step.module)
                    || wanted.equals(step.shortName().substring("step-".length()))) {
                return step;
            }
        }
        throw new IllegalArgumentException("Unknown step '" + name + "': choose "
                + Arrays.stream(values()).map(Step::shortName).collect(Collectors.joining(", ")));
    }

    public String shortName() {
        return "step-" + (ordinal() + 1);
    }

    public String module() {
        return module;
    }

    public String functionName() {
        return "xray-workbook-" + shortName();
    }

    public String handler() {
        return handler;
    }

    public boolean readsS3() {
        return readsS3;
    }

    /** Steps 3 and 4 throw {@code RuntimeException("Information")} on purpose. */
    public boolean failsOnPurpose() {
        return failsOnPurpose;
    }

    public Path deploymentPackage(Path root) {
        return root.resolve(module).resolve("target").resolve(module + "-lambda.jar");
    }
}
