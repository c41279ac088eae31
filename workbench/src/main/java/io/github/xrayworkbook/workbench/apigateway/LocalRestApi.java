package io.github.xrayworkbook.workbench.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.xrayworkbook.local.xray.TraceHeader;
import io.github.xrayworkbook.workbench.trace.StageSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An API Gateway REST API stage on 127.0.0.1 with one route and a Lambda proxy integration, as a
 * stand-in: it answers {@code METHOD /STAGE/PATH} by invoking the function with a proxy event
 * ({@link ProxyEvent}) and the trace header that joins the function's segments to its own, turns
 * the function's answer into the HTTP response, and records the stage segment
 * ({@link StageSegment}) of every sampled request.
 *
 * <p>Sampling: a caller's {@code Sampled=1} or {@code Sampled=0} is followed, as API Gateway
 * follows it; without one, API Gateway applies X-Ray's sampling rules (by default the first
 * request each second and 5% of the rest), where this stand-in samples every request, so that a
 * local run is the same each time. Requests are handled one at a time, for the one execution
 * environment the local function has.
 */
public final class LocalRestApi implements AutoCloseable {

    /** What the function answered, as the integration hands it back. */
    public sealed interface Answer {
        /** The function returned this JSON, which should be a proxy response. */
        record Returned(String json) implements Answer {
        }

        /** The invocation failed (function error, timeout, crash). */
        record Failed(String reason) implements Answer {
        }
    }

    /** Calls the function, as the stage's Lambda integration does. */
    @FunctionalInterface
    public interface Integration {
        Answer invoke(String requestId, byte[] proxyEvent, TraceHeader header);
    }

    /**
     * One request the stage handled: its answer, and its segment if it was sampled.
     *
     * @param header the trace the request was in; none for a request no route took
     */
    public record Exchange(String requestId, TraceHeader header, int status, String body,
                           Optional<ObjectNode> stageSegment) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_HEADER = "X-Amzn-Trace-Id";

    private final HttpServer server;
    private final ExecutorService executor;
    private final StageSegment stage;
    private final String method;
    private final String path;
    private final String functionName;
    private final String functionArn;
    private final Integration integration;
    private static final java.time.Duration RECORD_WAIT = java.time.Duration.ofSeconds(10);

    private final List<Exchange> exchanges = new ArrayList<>();

    private LocalRestApi(HttpServer server, StageSegment stage, String method, String path, String functionName,
                         String functionArn, Integration integration) {
        this.server = server;
        this.stage = stage;
        this.method = method;
        this.path = path;
        this.functionName = functionName;
        this.functionArn = functionArn;
        this.integration = integration;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "local-rest-api");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts the stage on 127.0.0.1:{@code port} (0 picks a free one).
     *
     * @throws IllegalStateException if the port is taken, saying what to do
     */
    public static LocalRestApi start(int port, StageSegment stage, String method, String path, String functionName,
                                     String functionArn, Integration integration) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            return new LocalRestApi(server, stage, method, path, functionName, functionArn, integration);
        } catch (BindException e) {
            throw new IllegalStateException("TCP port " + port + " on 127.0.0.1 is in use: stop whatever holds it"
                    + " or choose another port for the local REST API", e);
        } catch (IOException e) {
            throw new UncheckedIOException("The local REST API did not start: " + e.getMessage(), e);
        }
    }

    /** The URL of the route, as API Gateway's invoke URL for the stage plus the path. */
    public URI routeUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + stage.stage() + path);
    }

    /**
     * Waits until {@code count} requests have been handled, and takes them, in order. A caller can
     * have its answer before the stage has finished its segment: hence the wait.
     */
    public List<Exchange> takeExchanges(int count) {
        long deadline = System.nanoTime() + RECORD_WAIT.toNanos();
        synchronized (exchanges) {
            while (exchanges.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("The local REST API recorded " + exchanges.size() + " of " + count
                            + " requests within " + RECORD_WAIT.toSeconds() + " s");
                }
                try {
                    exchanges.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the local REST API", e);
                }
            }
            List<Exchange> taken = new ArrayList<>(exchanges.subList(0, count));
            exchanges.subList(0, count).clear();
            return taken;
        }
    }

    private void record(Exchange exchange) {
        synchronized (exchanges) {
            exchanges.add(exchange);
            exchanges.notifyAll();
        }
    }

    private void handle(HttpExchange http) throws IOException {
        try (http) {
            Instant received = Instant.now();
            byte[] body = http.getRequestBody().readAllBytes();
            String requestId = UUID.randomUUID().toString();
            String requestPath = http.getRequestURI().getRawPath();
            if (!requestPath.equals("/" + stage.stage() + path) || !http.getRequestMethod().equals(method)) {
                // A REST API answers a method or path it has no route for as if authorisation were
                // missing; nothing reaches the function. See missingRoute().
                send(http, 403, MISSING_ROUTE_BODY, Map.of("x-amzn-ErrorType", "MissingAuthenticationTokenException",
                        "x-amzn-RequestId", requestId));
                record(new Exchange(requestId, null, 403, MISSING_ROUTE_BODY, Optional.empty()));
                return;
            }
            Optional<TraceHeader.Received> caller = callerHeader(http);
            String segmentId = TraceHeader.newEntityId();
            boolean decidedHere = caller.flatMap(TraceHeader.Received::sampled).isEmpty();
            TraceHeader header = caller.map(c -> c.under(segmentId, true))
                    .orElseGet(() -> new TraceHeader(TraceHeader.newTraceId(received), segmentId, true));
            String invokeId = TraceHeader.newEntityId();
            TraceHeader toLambda = new TraceHeader(header.root(), invokeId, header.sampled());
            String extendedRequestId = extendedRequestId();
            byte[] event = ProxyEvent.of(stage, path, http, body, requestId, extendedRequestId, received, header.root());

            Instant invokeStarted = Instant.now();
            Answer answer = integration.invoke(requestId, event, toLambda);
            Instant invokeEnded = Instant.now();
            Response response = response(answer);
            send(http, response.status(), response.body(), response.headers(requestId, header));
            Instant answered = Instant.now();

            Optional<ObjectNode> segment = Optional.empty();
            if (header.sampled()) {
                String host = http.getRequestHeaders().getFirst("Host");
                StageSegment.Request request = new StageSegment.Request(requestId, extendedRequestId,
                        "http://" + host + requestPath, http.getRequestMethod(), http.getRequestHeaders().getFirst("User-Agent"),
                        http.getRemoteAddress().getAddress().getHostAddress(), received, answered, response.status(),
                        response.body().getBytes(StandardCharsets.UTF_8).length);
                String returned = answer instanceof Answer.Returned r ? r.json() : "";
                StageSegment.Invoke invoke = new StageSegment.Invoke(invokeId, functionName, functionArn, invokeStarted,
                        invokeEnded, 200, returned.getBytes(StandardCharsets.UTF_8).length);
                segment = Optional.of(stage.document(header, caller.flatMap(TraceHeader.Received::parent), decidedHere,
                        request, invoke));
            }
            record(new Exchange(requestId, header, response.status(), response.body(), segment));
        }
    }

    /** API Gateway's answer to a method or path a REST API has no route for. */
    static final String MISSING_ROUTE_BODY = "{\"message\":\"Missing Authentication Token\"}";

    /** API Gateway's answer when the function fails or returns something that is not a proxy response. */
    static final String BAD_GATEWAY_BODY = "{\"message\": \"Internal server error\"}";

    private record Response(int status, String body, Map<String, String> functionHeaders) {

        Map<String, String> headers(String requestId, TraceHeader header) {
            Map<String, String> all = new java.util.LinkedHashMap<>(functionHeaders);
            all.put("x-amzn-RequestId", requestId);
            all.put(TRACE_HEADER, "Root=" + header.root() + ";Sampled=" + (header.sampled() ? 1 : 0));
            return all;
        }
    }

    private static Response response(Answer answer) {
        if (answer instanceof Answer.Returned returned) {
            try {
                JsonNode proxy = JSON.readTree(returned.json());
                if (proxy.path("statusCode").canConvertToInt()) {
                    Map<String, String> headers = new java.util.LinkedHashMap<>();
                    proxy.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
                    return new Response(proxy.path("statusCode").asInt(), proxy.path("body").asText(""), headers);
                }
            } catch (IOException e) {
                // said below: not a proxy response
            }
        }
        return new Response(502, BAD_GATEWAY_BODY, Map.of("x-amzn-ErrorType", "InternalServerErrorException"));
    }

    private static Optional<TraceHeader.Received> callerHeader(HttpExchange http) {
        String value = http.getRequestHeaders().getFirst(TRACE_HEADER);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(TraceHeader.parse(value));
        } catch (IllegalArgumentException e) {
            // A header API Gateway cannot read starts a new trace, as no header would.
            return Optional.empty();
        }
    }

    private static void send(HttpExchange http, int status, String body, Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((name, value) -> http.getResponseHeaders().add(name, value));
        if (!http.getResponseHeaders().containsKey("Content-Type")) {
            http.getResponseHeaders().add("Content-Type", "application/json");
        }
        http.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        http.getResponseBody().write(bytes);
    }

    /** API Gateway's extended request ids are 16 base64 characters; any will do here. */
    private static String extendedRequestId() {
        return java.util.Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
                .substring(0, 15) + "=";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
