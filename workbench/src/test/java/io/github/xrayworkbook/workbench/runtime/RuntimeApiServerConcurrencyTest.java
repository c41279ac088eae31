package io.github.xrayworkbook.workbench.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.local.xray.TraceHeader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The Runtime API under many invocations at once, as Lambda Managed Instances run them: several
 * workers of one runtime client each poll {@code invocation/next} and post their own result,
 * while the invocations wait in line. Each worker here is a plain HTTP client doing what one
 * of the runtime client's threads does; every invocation must be handed out once, with its own
 * event, request id and trace header, and its result must reach that invocation and no other.
 */
class RuntimeApiServerConcurrencyTest {

    private static final int INVOCATIONS = 400;
    private static final int WORKERS = 16;

    @Test
    void handsOutEveryInvocationOnceAndReturnsEachResultToItsOwnCaller() throws Exception {
        try (RuntimeApiServer api = RuntimeApiServer.start(0)) {
            Map<String, TraceHeader> traces = new HashMap<>();
            List<RuntimeApiServer.Pending> pending = new ArrayList<>();
            for (int i = 0; i < INVOCATIONS; i++) {
                String requestId = "request-" + i;
                TraceHeader trace = TraceHeader.newTrace(i % 2 == 0);
                traces.put(requestId, trace);
                byte[] event = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                pending.add(api.enqueue(requestId, event, trace, java.time.Duration.ofMinutes(15), "arn:aws:lambda:eu-west-1:123456789012:function:f"));
            }

            Set<String> handedOut = ConcurrentHashMap.newKeySet();
            List<String> problems = new ArrayList<>();
            AtomicInteger left = new AtomicInteger(INVOCATIONS);
            CountDownLatch start = new CountDownLatch(1);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                running.add(workers.submit(() -> {
                    start.await();
                    while (left.getAndDecrement() > 0) {
                        HttpResponse<String> next = http.send(HttpRequest.newBuilder(URI.create(
                                "http://" + api.address() + "/2018-06-01/runtime/invocation/next")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        String requestId = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
                        String trace = next.headers().firstValue("Lambda-Runtime-Trace-Id").orElseThrow();
                        String n = requestId.substring("request-".length());
                        synchronized (problems) {
                            if (!handedOut.add(requestId)) {
                                problems.add(requestId + " was handed out twice");
                            }
                            if (!next.body().equals("{\"n\":" + n + "}")) {
                                problems.add(requestId + " came with the event " + next.body());
                            }
                            if (!trace.equals(traces.get(requestId).toString())) {
                                problems.add(requestId + " came with the trace header " + trace);
                            }
                        }
                        // The result names the invocation it answers, and the trace it was given.
                        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://"
                                        + api.address() + "/2018-06-01/runtime/invocation/" + requestId + "/response"))
                                .POST(HttpRequest.BodyPublishers.ofString(n + " " + trace)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (posted.statusCode() != 202) {
                            synchronized (problems) {
                                problems.add(requestId + "'s response was answered " + posted.statusCode());
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : running) {
                worker.get(60, TimeUnit.SECONDS);
            }
            workers.shutdown();

            assertThat(problems).isEmpty();
            assertThat(handedOut).hasSize(INVOCATIONS);
            for (int i = 0; i < INVOCATIONS; i++) {
                RuntimeApiServer.Pending invocation = pending.get(i);
                Outcome outcome = invocation.outcome.get(10, TimeUnit.SECONDS);
                assertThat(outcome).isInstanceOf(Outcome.Response.class);
                assertThat(((Outcome.Response) outcome).body()).isEqualTo(i + " " + traces.get("request-" + i));
                assertThat(invocation.dispatched).isDone();
            }
        }
    }
}
