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

    /** The function did not answer within its timeout, and its JVM was stopped. */
    record Timeout(long seconds, Instant at) implements Outcome {
    }

    /** The function's JVM ended before answering. */
    record Crash(int exitCode, Instant at) implements Outcome {
    }
}
