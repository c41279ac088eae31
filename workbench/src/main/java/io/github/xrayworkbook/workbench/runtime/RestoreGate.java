package io.github.xrayworkbook.workbench.runtime;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * SnapStart's side of the Runtime API for one execution environment. The runtime interface client
 * calls {@code GET /2018-06-01/runtime/restore/next} once its handler is loaded and its
 * {@code beforeCheckpoint} hooks have run, and waits for the answer: there, Lambda takes the
 * snapshot, and the answer comes when an environment is restored from it. The workbench holds the
 * request in the same way, as AWS's Runtime Interface Emulator does (its runtime state machine
 * suspends the request until the restore: aws-lambda-runtime-interface-emulator,
 * internal/lambda/core/states.go, RestoreReady), then answers 200 with no body, all the client
 * checks (LambdaRuntimeApiClientImpl.restoreNext in the client 2.10.1).
 */
final class RestoreGate {

    private final CompletableFuture<Instant> checkpointed = new CompletableFuture<>();
    private final CompletableFuture<Instant> restored = new CompletableFuture<>();

    /** When the runtime client called {@code restore/next}. */
    CompletableFuture<Instant> checkpointed() {
        return checkpointed;
    }

    /** Answers the held {@code restore/next} now; returns when. */
    Instant restore() {
        restored.complete(Instant.now());
        return restored.join();
    }

    /** Called on the server's thread for {@code restore/next}: blocks until {@link #restore}. */
    void hold() throws InterruptedException {
        checkpointed.complete(Instant.now());
        try {
            restored.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
