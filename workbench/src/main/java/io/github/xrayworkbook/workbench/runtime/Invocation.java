package io.github.xrayworkbook.workbench.runtime;

import io.github.xrayworkbook.local.xray.TraceHeader;
import java.time.Instant;
import java.util.Optional;

/**
 * One invocation and the moments that shape its trace.
 *
 * @param requestId the {@code Lambda-Runtime-Aws-Request-Id}
 * @param trace the trace header handed to the function
 * @param received when the invoke request reached "Lambda"
 * @param initStarted on a cold start, when the function's JVM was launched
 * @param dispatched when the runtime client was handed the event
 * @param outcome what the function answered, and when
 * @param nextPoll when the runtime client next asked for work, which ends the invocation's overhead
 */
public record Invocation(
        String requestId,
        TraceHeader trace,
        Instant received,
        Optional<Instant> initStarted,
        Instant dispatched,
        Outcome outcome,
        Instant nextPoll) {

    public boolean coldStart() {
        return initStarted.isPresent();
    }
}
