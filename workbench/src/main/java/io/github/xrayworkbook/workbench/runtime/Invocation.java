package io.github.xrayworkbook.workbench.runtime;

import io.github.xrayworkbook.local.xray.TraceHeader;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One invocation and the moments that shape its trace.
 *
 * @param requestId the {@code Lambda-Runtime-Aws-Request-Id}
 * @param trace the trace header handed to the function
 * @param received when the invoke request reached "Lambda"
 * @param init on a cold start, the init phase: from launching the function's JVM to the runtime
 *        client's first request for work
 * @param dispatched when the runtime client was handed the event
 * @param outcome what the function answered, and when the answer was fully received
 * @param responseTransfer how long the runtime client took to send its answer to the Runtime API
 * @param nextPoll when the runtime client next asked for work, which ends the invocation's overhead
 */
public record Invocation(
        String requestId,
        TraceHeader trace,
        Instant received,
        Optional<Init> init,
        Instant dispatched,
        Outcome outcome,
        Duration responseTransfer,
        Instant nextPoll) {

    /** The init phase of a cold start. */
    public record Init(Instant started, Instant ended) {
    }

    public boolean coldStart() {
        return init.isPresent();
    }

    /**
     * The function's own time: its init phase on a cold start, plus handling the event. Time the
     * event spent waiting for the workbench's stand-ins to be ready is not the function's.
     */
    public Duration functionTime() {
        Duration handling = Duration.between(dispatched, outcome.at());
        return init.map(i -> Duration.between(i.started(), i.ended()).plus(handling)).orElse(handling);
    }
}
