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
 * @param init on a cold start without SnapStart, the init phase: from launching the function's
 *        JVM to the runtime client's first request for work
 * @param snapStart on a cold start with SnapStart, its checkpoint and restore phases instead
 * @param dispatched when the runtime client was handed the event
 * @param outcome what the function answered, and when the answer was fully received
 * @param responseTransfer how long the runtime client took to send its answer to the Runtime API
 * @param nextPoll when the runtime client next asked for work, which ends the invocation's overhead
 */
public record Invocation(
        String requestId,
        TraceHeader trace,
        Instant received,
        Optional<Phase> init,
        Optional<SnapStart> snapStart,
        Instant dispatched,
        Outcome outcome,
        Duration responseTransfer,
        Instant nextPoll) {

    /** An invocation of a function without SnapStart. */
    public Invocation(String requestId, TraceHeader trace, Instant received, Optional<Phase> init, Instant dispatched,
                      Outcome outcome, Duration responseTransfer, Instant nextPoll) {
        this(requestId, trace, received, init, Optional.empty(), dispatched, outcome, responseTransfer, nextPoll);
    }

    /** A phase of an execution environment's life. */
    public record Phase(Instant started, Instant ended) {

        public Duration duration() {
            return Duration.between(started, ended);
        }
    }

    /**
     * A new execution environment under SnapStart. AWS's "Monitoring for Lambda SnapStart"
     * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-monitoring.html): the Init phase,
     * {@code beforeCheckpoint} hooks included, runs when a version is published; a new environment
     * then reports a restore (restoring the snapshot, loading the runtime, the {@code afterRestore}
     * hooks), and its cold start is the restore plus the invocation.
     *
     * @param checkpoint from launching the JVM to the runtime client's {@code GET restore/next}: the
     *        handler's init and the {@code beforeCheckpoint} hooks
     * @param restore from the workbench's answer to {@code restore/next} to the runtime client's first
     *        request for work: the {@code afterRestore} hooks; no memory snapshot is restored here.
     *        Absent when the checkpoint failed
     */
    public record SnapStart(Phase checkpoint, Optional<Phase> restore) {
    }

    public boolean coldStart() {
        return init.isPresent() || snapStart.isPresent();
    }

    /** The restore phase of a cold start under SnapStart. */
    public Optional<Phase> restore() {
        return snapStart.flatMap(SnapStart::restore);
    }

    /** From handing the event to the runtime client to receiving the answer. */
    public Duration handlerTime() {
        return Duration.between(dispatched, outcome.at());
    }

    /**
     * The function's own time: on a cold start its init phase, or with SnapStart its restore phase
     * (the checkpoint happened at publish time), plus handling the event. Time the event spent
     * waiting for the workbench's stand-ins to be ready is not the function's.
     */
    public Duration functionTime() {
        return init.or(this::restore).map(Phase::duration).orElse(Duration.ZERO).plus(handlerTime());
    }
}
