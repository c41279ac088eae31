package io.github.xrayworkbook.workbench.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SnapStart's two calls, made as the runtime interface client 2.10.1 makes them. */
class RuntimeApiServerSnapStartTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void restoreNextIsHeldUntilTheWorkbenchRestoresThenAnswered200WithNoBody() throws Exception {
        try (RuntimeApiServer api = RuntimeApiServer.start(0)) {
            RestoreGate gate = api.newEnvironment();
            CompletableFuture<HttpResponse<String>> restoreNext = http.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://" + api.address() + "/2018-06-01/runtime/restore/next")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            Instant checkpointed = gate.checkpointed().get(5, TimeUnit.SECONDS);
            Thread.sleep(200);
            assertThat(restoreNext).isNotDone();
            Instant restored = gate.restore();
            HttpResponse<String> response = restoreNext.get(5, TimeUnit.SECONDS);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEmpty();
            assertThat(restored).isAfter(checkpointed);
            assertThat(api.startError()).isNotDone();
        }
    }

    @Test
    void aFailedHookIsAHookErrorOfTheTypeInTheHeader() throws Exception {
        String body = "{\"errorMessage\":\"com.amazonaws.services.lambda.crac.RestoreException\","
                + "\"errorType\":\"com.amazonaws.services.lambda.crac.RestoreException\",\"stackTrace\":[]}";
        try (RuntimeApiServer api = RuntimeApiServer.start(0)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://" + api.address() + "/2018-06-01/runtime/restore/error"))
                    .header("Lambda-Runtime-Function-Error-Type", "Runtime.AfterRestoreError")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

            // Anything but 202 would make the client throw instead of exiting with 64.
            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(api.startError().get(1, TimeUnit.SECONDS)).isInstanceOfSatisfying(Outcome.HookError.class, error -> {
                assertThat(error.runtimeErrorType()).isEqualTo(Outcome.HookError.AFTER_RESTORE);
                assertThat(error.errorType()).isEqualTo("com.amazonaws.services.lambda.crac.RestoreException");
                assertThat(error.errorMessage()).isEqualTo("com.amazonaws.services.lambda.crac.RestoreException");
            });
        }
    }

    @Test
    void anInitErrorOfTypeBeforeCheckpointErrorIsAHookErrorAndAnyOtherStaysAnInitError() throws Exception {
        String body = "{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.IllegalStateException\",\"stackTrace\":[]}";
        try (RuntimeApiServer hook = RuntimeApiServer.start(0); RuntimeApiServer init = RuntimeApiServer.start(0)) {
            postInitError(hook, "Runtime.BeforeCheckpointError", body);
            postInitError(init, "Runtime.BadFunctionCode", body);

            assertThat(hook.startError().get(1, TimeUnit.SECONDS)).isInstanceOfSatisfying(Outcome.HookError.class,
                    error -> assertThat(error.runtimeErrorType()).isEqualTo(Outcome.HookError.BEFORE_CHECKPOINT));
            assertThat(init.startError().get(1, TimeUnit.SECONDS)).isInstanceOfSatisfying(Outcome.InitError.class,
                    error -> assertThat(error.errorMessage()).isEqualTo("boom"));
        }
    }

    private void postInitError(RuntimeApiServer api, String type, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://" + api.address() + "/2018-06-01/runtime/init/error"))
                .header("Lambda-Runtime-Function-Error-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
    }
}
