package io.github.xrayworkbook.workbench.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The Lambda Runtime API ({@code /2018-06-01/runtime/...}) on 127.0.0.1, the interface the runtime
 * interface client polls for events and posts results to; with SnapStart, also
 * {@code restore/next} and {@code restore/error} ({@link RestoreGate}).
 */
public final class RuntimeApiServer implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "runtime-api");
        thread.setDaemon(true);
        return thread;
    });
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final BlockingQueue<Instant> polls = new LinkedBlockingQueue<>();
    private volatile CompletableFuture<Outcome> startError = new CompletableFuture<>();
    private volatile RestoreGate restoreGate = new RestoreGate();

    /** An event waiting for, or being handled by, the function. */
    public static final class Pending {
        final String requestId;
        final byte[] event;
        final TraceHeader trace;
        final Duration timeout;
        final String functionArn;
        final CompletableFuture<Instant> dispatched = new CompletableFuture<>();
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        volatile Instant responseStarted;

        Pending(String requestId, byte[] event, TraceHeader trace, Duration timeout, String functionArn) {
            this.requestId = requestId;
            this.event = event;
            this.trace = trace;
            this.timeout = timeout;
            this.functionArn = functionArn;
        }
    }

    private RuntimeApiServer(HttpServer server) {
        this.server = server;
        server.createContext(PREFIX, this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Serves the Runtime API on 127.0.0.1:{@code port} (0 picks a free one).
     *
     * @throws IllegalStateException if the port is taken
     */
    public static RuntimeApiServer start(int port) {
        try {
            return new RuntimeApiServer(HttpServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16));
        } catch (BindException e) {
            throw new IllegalStateException("TCP port " + port + " on 127.0.0.1 is in use:"
                    + " stop whatever holds it or choose another port for the Runtime API", e);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serve the Runtime API: " + e.getMessage(), e);
        }
    }

    /** The value for {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Queues an event for the next {@code /next}. Its deadline, which the function reads from
     * {@code Context.getRemainingTimeInMillis()}, counts from when a runtime worker takes it: time
     * spent waiting for a worker, or for the JVM to start, is not the function's.
     */
    Pending enqueue(String requestId, byte[] event, TraceHeader trace, Duration timeout, String functionArn) {
        Pending pending = new Pending(requestId, event, trace, timeout, functionArn);
        inFlight.put(requestId, pending);
        queue.add(pending);
        return pending;
    }

    /** Takes back an event nobody picked up, or fails one in flight. */
    void abandon(Pending pending, Outcome outcome) {
        queue.remove(pending);
        inFlight.remove(pending.requestId);
        pending.outcome.complete(outcome);
    }

    BlockingQueue<Instant> polls() {
        return polls;
    }

    /** An init error, or a failed SnapStart hook: the current environment could not start. */
    CompletableFuture<Outcome> startError() {
        return startError;
    }

    /**
     * Gets ready for an execution environment about to start: no start error yet (an earlier
     * environment's failure is not this one's), and a new gate for {@code restore/next}.
     */
    RestoreGate newEnvironment() {
        startError = new CompletableFuture<>();
        restoreGate = new RestoreGate();
        return restoreGate;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/response")) {
                complete(exchange, path, false);
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/error")) {
                complete(exchange, path, true);
            } else if (method.equals("POST") && path.equals("init/error")) {
                String type = errorTypeHeader(exchange);
                JsonNode error = readError(exchange);
                // The client reports a failed beforeCheckpoint hook as an init error of its own type.
                startError.complete(type.equals(Outcome.HookError.BEFORE_CHECKPOINT)
                        ? hookError(type, error)
                        : new Outcome.InitError(error.path("errorType").asText(),
                                error.path("errorMessage").asText(), error.toString(), Instant.now()));
                respond(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("GET") && path.equals("restore/next")) {
                restoreNext(exchange);
            } else if (method.equals("POST") && path.equals("restore/error")) {
                startError.complete(hookError(errorTypeHeader(exchange), readError(exchange)));
                respond(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                respond(exchange, 404, "{\"errorMessage\":\"Unknown resource " + path + "\"}");
            }
        }
    }

    private void restoreNext(HttpExchange exchange) throws IOException {
        try {
            restoreGate.hold();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        exchange.sendResponseHeaders(200, -1);
    }

    private static Outcome.HookError hookError(String runtimeErrorType, JsonNode error) {
        return new Outcome.HookError(runtimeErrorType, error.path("errorType").asText(),
                error.path("errorMessage").asText(), error.toString(), Instant.now());
    }

    private static String errorTypeHeader(HttpExchange exchange) {
        return String.valueOf(exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"));
    }

    private void next(HttpExchange exchange) throws IOException {
        polls.add(Instant.now());
        Pending pending;
        try {
            pending = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        var headers = exchange.getResponseHeaders();
        // The native client needs a Content-Type on /next.
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", pending.requestId);
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + pending.timeout.toMillis()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", pending.functionArn);
        headers.set("Lambda-Runtime-Trace-Id", pending.trace.toString());
        pending.dispatched.complete(Instant.now());
        exchange.sendResponseHeaders(200, pending.event.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(pending.event);
        }
    }

    private void complete(HttpExchange exchange, String path, boolean error) throws IOException {
        Instant started = Instant.now();
        String requestId = path.substring("invocation/".length(), path.lastIndexOf('/'));
        Pending pending = inFlight.remove(requestId);
        if (pending == null) {
            respond(exchange, 400, "{\"errorMessage\":\"Unknown request id " + requestId + "\"}");
            return;
        }
        pending.responseStarted = started;
        if (error) {
            JsonNode body = readError(exchange);
            pending.outcome.complete(new Outcome.FunctionError(body.path("errorType").asText(),
                    body.path("errorMessage").asText(), body.toString(), Instant.now()));
        } else {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            pending.outcome.complete(new Outcome.Response(body, Instant.now()));
        }
        respond(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static JsonNode readError(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("errorType", "Unknown")
                    .put("errorMessage", new String(body, StandardCharsets.UTF_8));
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
