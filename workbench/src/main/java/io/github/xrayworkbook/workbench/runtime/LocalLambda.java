package io.github.xrayworkbook.workbench.runtime;

import io.github.xrayworkbook.local.xray.TraceHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One function on this machine: invocations go through the local Runtime API to a JVM started
 * on the first invocation (the cold start) and reused by the next (warm starts). A timeout or
 * crash stops that JVM, so the following invocation starts cold, as in Lambda.
 *
 * <p>With SnapStart, the JVM starts with {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}, so the
 * real runtime client runs the {@code beforeCheckpoint} hooks after loading the handler and then
 * calls {@code restore/next}; that is where Lambda snapshots the environment, when a version is
 * published. The cold start waits for that call, then answers it (the "restore": no memory
 * snapshot is taken or restored here, the same JVM goes on), and the client runs the
 * {@code afterRestore} hooks before it asks for the event.
 */
public final class LocalLambda implements AutoCloseable {

    private static final Duration OVERHEAD_WAIT = Duration.ofSeconds(2);

    private final FunctionConfig config;
    private final RuntimeClient runtimeClient;
    private final Path workDir;
    private final Map<String, String> awsEnvironment;
    private final RuntimeApiServer api;
    private final Path taskRoot;
    private final boolean snapStart;
    private final int maxConcurrency;
    private Process process;
    private Optional<Instant> initStarted = Optional.empty();
    private RestoreGate restoreGate;

    /**
     * @param runtimeClient the runtime interface client the function's JVM runs under
     * @param workDir where the package is unpacked and the function's log is written
     * @param awsEnvironment where the function's AWS services are: credentials, daemon address,
     *        endpoint overrides
     */
    public LocalLambda(FunctionConfig config, RuntimeClient runtimeClient, Path workDir,
                       Map<String, String> awsEnvironment) {
        this(config, runtimeClient, workDir, awsEnvironment, false);
    }

    /** @param snapStart whether the function runs with SnapStart (see the class comment) */
    public LocalLambda(FunctionConfig config, RuntimeClient runtimeClient, Path workDir,
                       Map<String, String> awsEnvironment, boolean snapStart) {
        this(config, runtimeClient, workDir, awsEnvironment, snapStart, 0);
    }

    /**
     * @param maxConcurrency from 1, runs the runtime client in its multi-concurrent mode, as Lambda
     *        Managed Instances do, with that many invocations at once ({@link #invokeAll}); 0 for
     *        one at a time
     */
    public LocalLambda(FunctionConfig config, RuntimeClient runtimeClient, Path workDir,
                       Map<String, String> awsEnvironment, boolean snapStart, int maxConcurrency) {
        this.snapStart = snapStart;
        this.maxConcurrency = maxConcurrency;
        this.config = config;
        this.runtimeClient = runtimeClient;
        this.workDir = workDir;
        this.awsEnvironment = Map.copyOf(awsEnvironment);
        // Unpacking is deployment, done before any invocation arrives, as Lambda prepares code
        // when a function is created; the trace then shows only what an invocation costs.
        try {
            Files.createDirectories(workDir);
            // One run, one log: the JVMs this run starts append to it, earlier runs' lines are gone.
            Files.deleteIfExists(log());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + workDir + ": " + e.getMessage(), e);
        }
        this.taskRoot = FunctionProcess.unpack(config.deploymentPackage(), workDir.resolve("task"));
        this.api = RuntimeApiServer.start(0);
    }

    /**
     * Starts an execution environment now, if none is running: its init runs while the caller
     * finishes preparing, and the next invocation is its cold start, received when this was
     * called (Lambda, too, starts an environment once a request has arrived).
     */
    public void startEnvironment() {
        if (process == null || !process.isAlive()) {
            initStarted = Optional.of(launch());
        }
    }

    /** The function's log: everything its JVMs printed during this run. */
    public Path log() {
        return workDir.resolve("function.log");
    }

    /** Invokes the function once with a new sampled trace, and waits for the outcome. */
    public Invocation invoke(byte[] event) {
        return invoke(event, Optional.empty());
    }

    /**
     * Invokes the function once and waits for the outcome.
     *
     * @param caller the trace header the invoke request came with (API Gateway's, say): the
     *        function's trace continues that trace, under a new parent (Lambda's function segment),
     *        with the caller's sampling decision; without one, a new sampled trace starts
     */
    public Invocation invoke(byte[] event, Optional<TraceHeader> caller) {
        Instant now = Instant.now();
        startEnvironment();
        // The launch of the environment this invocation is the cold start of, if it is one; taken,
        // so that the next invocation of the same environment is warm.
        Optional<Instant> coldStart = initStarted;
        initStarted = Optional.empty();
        if (coldStart.isEmpty()) {
            // A warm environment is already waiting in /next: only the poll after this answer counts.
            api.polls().clear();
        }
        Optional<Invocation.SnapStart> snapStartPhases = Optional.empty();
        if (snapStart && coldStart.isPresent()) {
            Instant launched = coldStart.get();
            Optional<Outcome> failed = awaitCheckpoint(launched);
            if (failed.isPresent()) {
                return checkpointFailed(launched, failed.get());
            }
            Instant checkpointed = restoreGate.checkpointed().join();
            note("GET restore/next after %.0f ms: init and beforeCheckpoint are done; in AWS, Lambda takes the"
                    + " snapshot here, when the version is published", Duration.between(launched, checkpointed).toNanos() / 1e6);
            note("restore/next answered: the restore starts (no memory snapshot is restored on this machine;"
                    + " the same JVM goes on)");
            Instant restored = restoreGate.restore();
            snapStartPhases = Optional.of(new Invocation.SnapStart(new Invocation.Phase(launched, checkpointed),
                    Optional.of(new Invocation.Phase(restored, restored))));
        }
        // With SnapStart, the checkpoint and the restore take the place of the Init phase.
        Optional<Instant> initPhaseStarted = snapStart ? Optional.empty() : coldStart;
        Instant received = snapStartPhases.flatMap(Invocation.SnapStart::restore).map(Invocation.Phase::started)
                .orElse(initPhaseStarted.filter(start -> start.isBefore(now)).orElse(now));
        TraceHeader trace = new TraceHeader(caller.map(TraceHeader::root).orElseGet(() -> TraceHeader.newTraceId(received)),
                TraceHeader.newEntityId(), caller.map(TraceHeader::sampled).orElse(true));
        String requestId = UUID.randomUUID().toString();
        RuntimeApiServer.Pending pending = api.enqueue(requestId, event, trace, config.timeout(), config.arn());
        Outcome outcome = await(pending, false);
        Instant dispatched = pending.dispatched.getNow(outcome.at());
        // On a cold start, the runtime client's first request for work ends its init (or restore)
        // phase; an error ends it too. A warm start leaves that request to the overhead.
        Instant firstPoll = coldStart.isEmpty() ? dispatched
                : Optional.ofNullable(api.polls().poll()).orElse(dispatched.isBefore(outcome.at()) ? dispatched : outcome.at());
        Optional<Invocation.Phase> init = initPhaseStarted.map(start -> new Invocation.Phase(start, firstPoll));
        snapStartPhases = snapStartPhases.map(phases -> new Invocation.SnapStart(phases.checkpoint(),
                phases.restore().map(restore -> new Invocation.Phase(restore.started(), firstPoll))));
        Instant nextPoll = outcome instanceof Outcome.Response || outcome instanceof Outcome.FunctionError
                ? awaitNextPoll(outcome.at())
                : outcome.at();
        Duration transfer = pending.responseStarted == null ? Duration.ZERO
                : Duration.between(pending.responseStarted, outcome.at());
        return new Invocation(requestId, trace, received, init, snapStartPhases, dispatched, outcome, transfer, nextPoll);
    }

    /**
     * Invokes the function {@code count} times at once, each with a new sampled trace, as Lambda
     * Managed Instances hand one execution environment many invocations: the runtime client's
     * workers take them as they free up. Returns them in the order they were sent, each with its
     * own outcome. No AWS page says what Lambda records for invocations that share an environment:
     * the workbench records no Init for any of them, and an Overhead of no length, since a worker's
     * next poll for work belongs to no single invocation.
     */
    public List<Invocation> invokeAll(byte[] event, int count) {
        startEnvironment();
        initStarted = Optional.empty();
        List<RuntimeApiServer.Pending> sent = new ArrayList<>();
        List<Instant> received = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant now = Instant.now();
            TraceHeader trace = new TraceHeader(TraceHeader.newTraceId(now), TraceHeader.newEntityId(), true);
            sent.add(api.enqueue(UUID.randomUUID().toString(), event, trace, config.timeout(), config.arn()));
            received.add(now);
        }
        List<Invocation> invocations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RuntimeApiServer.Pending pending = sent.get(i);
            Outcome outcome = await(pending, true);
            Instant dispatched = pending.dispatched.getNow(outcome.at());
            Duration transfer = pending.responseStarted == null ? Duration.ZERO
                    : Duration.between(pending.responseStarted, outcome.at());
            invocations.add(new Invocation(pending.requestId, pending.trace, received.get(i), Optional.empty(),
                    Optional.empty(), dispatched, outcome, transfer, outcome.at()));
        }
        return invocations;
    }

    /**
     * Waits until the runtime client calls {@code restore/next}; returns how the environment failed
     * instead, if it did. The checkpoint gets the function's timeout, as init does here.
     */
    private Optional<Outcome> awaitCheckpoint(Instant launched) {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        Process running = process;
        while (true) {
            try {
                restoreGate.checkpointed().get(50, TimeUnit.MILLISECONDS);
                return Optional.empty();
            } catch (TimeoutException e) {
                Optional<Outcome> failed = Optional.ofNullable(api.startError().getNow(null));
                if (failed.isPresent()) {
                    stop();
                    return failed;
                }
                if (!running.isAlive()) {
                    return Optional.of(new Outcome.Crash(running.exitValue(), Instant.now()));
                }
                if (System.nanoTime() > deadline) {
                    stop();
                    return Optional.of(new Outcome.Timeout(config.timeout().toSeconds(), Instant.now()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                return Optional.of(new Outcome.Crash(-1, Instant.now()));
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** The invocation of an environment whose checkpoint failed: in AWS, the version never gets published. */
    private Invocation checkpointFailed(Instant launched, Outcome outcome) {
        TraceHeader trace = new TraceHeader(TraceHeader.newTraceId(outcome.at()), TraceHeader.newEntityId(), true);
        Invocation.SnapStart phases = new Invocation.SnapStart(new Invocation.Phase(launched, outcome.at()), Optional.empty());
        return new Invocation(UUID.randomUUID().toString(), trace, outcome.at(), Optional.empty(), Optional.of(phases),
                outcome.at(), outcome, Duration.ZERO, outcome.at());
    }

    /** A line of the workbench's own in the function's log, between the lines the function printed. */
    private void note(String format, Object... args) {
        try {
            Files.writeString(log(), "[workbench] " + String.format(Locale.ROOT, format, args) + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to " + log() + ": " + e.getMessage(), e);
        }
    }

    private Instant launch() {
        Instant started = Instant.now();
        api.polls().clear();
        restoreGate = api.newEnvironment();
        process = FunctionProcess.start(config, taskRoot, runtimeClient, workDir, lambdaEnvironment(), log());
        return started;
    }

    /**
     * Waits for the invocation's outcome, or makes one: an init error, a crash, or a timeout. One
     * invocation at a time, a timeout stops the JVM, as Lambda stops a timed-out environment. Many
     * at once ({@code shared}), it fails that invocation alone: on Lambda Managed Instances the
     * timeout applies to each invocation, Lambda returns a timeout error for it and the others go
     * on, and it does not stop the handler, which runs on and keeps its worker busy ("Lambda Managed
     * Instances execution environment", Invoke phase and Error handling:
     * https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-execution-environment.html).
     * Then the clock starts when a worker takes the invocation.
     */
    private Outcome await(RuntimeApiServer.Pending pending, boolean shared) {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        Process running = process;
        while (true) {
            try {
                return pending.outcome.get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                Optional<Outcome> initError = Optional.ofNullable(api.startError().getNow(null));
                Instant taken = pending.dispatched.getNow(null);
                boolean timedOut = shared
                        ? taken != null && Duration.between(taken, Instant.now()).compareTo(config.timeout()) > 0
                        : System.nanoTime() > deadline;
                if (initError.isPresent()) {
                    stop();
                    api.abandon(pending, initError.get());
                } else if (!running.isAlive()) {
                    api.abandon(pending, new Outcome.Crash(running.exitValue(), Instant.now()));
                } else if (timedOut) {
                    if (shared) {
                        note("request %s timed out after %d s; its handler runs on, as on Lambda Managed Instances,"
                                + " and keeps its worker busy", pending.requestId, config.timeout().toSeconds());
                    } else {
                        stop();
                    }
                    api.abandon(pending, new Outcome.Timeout(config.timeout().toSeconds(), Instant.now()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                api.abandon(pending, new Outcome.Crash(-1, Instant.now()));
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private Instant awaitNextPoll(Instant after) {
        try {
            Instant poll = api.polls().poll(OVERHEAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return poll == null || poll.isBefore(after) ? after : poll;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return after;
        }
    }

    private Map<String, String> lambdaEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        // Windows cannot open a socket without SystemRoot; keep what its JVM needs from this machine.
        if (System.getProperty("os.name").startsWith("Windows")) {
            for (String name : List.of("SystemRoot", "windir", "TEMP", "TMP", "PATH")) {
                Optional.ofNullable(System.getenv(name)).ifPresent(value -> environment.put(name, value));
            }
        }
        environment.put("LANG", "en_US.UTF-8");
        environment.put("TZ", ":UTC");
        environment.put("AWS_LAMBDA_RUNTIME_API", api.address());
        environment.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        environment.put("LAMBDA_RUNTIME_DIR", runtimeClient.libraries().toString());
        environment.put("_HANDLER", config.handler());
        environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        environment.put("AWS_LAMBDA_FUNCTION_NAME", config.name());
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(config.memoryMb()));
        if (maxConcurrency > 0) {
            // What turns the runtime client 2.10.1 into its multi-concurrent mode: that many
            // workers, each polling invocation/next (util/ConcurrencyConfig, AWSLambda).
            environment.put("AWS_LAMBDA_MAX_CONCURRENCY", Integer.toString(maxConcurrency));
        }
        if (snapStart) {
            // What the runtime client 2.10.1 reads to run the hooks and call restore/next
            // (AWSLambda.AWS_LAMBDA_INITIALIZATION_TYPE). SnapStart functions get no log group or
            // stream variables ("Monitoring for Lambda SnapStart"). In AWS they also get container
            // credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI) instead of keys; here they keep the
            // local S3's keys.
            environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        } else {
            environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + config.name());
            environment.put("AWS_LAMBDA_LOG_STREAM_NAME", "local/[$LATEST]" + UUID.randomUUID().toString().replace("-", ""));
            environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        }
        environment.put("AWS_REGION", config.region());
        environment.put("AWS_DEFAULT_REGION", config.region());
        environment.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        // Lambda passes the user's JAVA_TOOL_OPTIONS through; so does the workbench.
        Optional.ofNullable(System.getenv("JAVA_TOOL_OPTIONS")).ifPresent(v -> environment.put("JAVA_TOOL_OPTIONS", v));
        environment.putAll(awsEnvironment);
        environment.putAll(config.environment());
        // Never _X_AMZN_TRACE_ID: the SDK would read it before the per-invocation header.
        environment.remove("_X_AMZN_TRACE_ID");
        return config.execWrapper().map(wrapper -> wrapper.apply(environment)).orElse(environment);
    }

    private void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
        api.close();
    }
}
