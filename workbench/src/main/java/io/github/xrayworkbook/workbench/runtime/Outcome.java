package io.github.xrayworkbook.workbench.runtime;

import java.time.Instant;

/** How one invocation ended. */
public sealed interface Outcome {

    /** When the workbench learnt of the outcome. */
    Instant at();

    /** The handler returned; {@code body} is its serialised result. */
    record Response(String body, Instant at) implements Outcome {
    }

    /** The handler threw; the runtime client reported {@code errorType} and {@code errorMessage}. */
    record FunctionError(String errorType, String errorMessage, String body, Instant at) implements Outcome {
    }

    /** The function could not start (handler class missing, constructor threw...). */
    record InitError(String errorType, String errorMessage, String body, Instant at) implements Outcome {
    }

    /**
     * A SnapStart runtime hook failed, and the runtime client reported it as its 2.10.1 does: a
     * {@code beforeCheckpoint} failure to {@code /runtime/init/error} with
     * {@code runtimeErrorType} {@code Runtime.BeforeCheckpointError}, an {@code afterRestore} one to
     * {@code /runtime/restore/error} with {@code Runtime.AfterRestoreError}; then it exits with 64.
     *
     * @param runtimeErrorType the {@code Lambda-Runtime-Function-Error-Type} header
     * @param errorType the exception's class, from the body
     */
    record HookError(String runtimeErrorType, String errorType, String errorMessage, String body, Instant at)
            implements Outcome {

        public static final String BEFORE_CHECKPOINT = "Runtime.BeforeCheckpointError";
        public static final String AFTER_RESTORE = "Runtime.AfterRestoreError";
    }

    /**
     * The function did not answer within its timeout. One invocation at a time, its JVM was stopped;
     * many at once (Lambda Managed Instances), that invocation failed and the handler ran on.
     */
    record Timeout(long seconds, Instant at) implements Outcome {
    }

    /** The function's JVM ended before answering. */
    record Crash(int exitCode, Instant at) implements Outcome {
    }
}
