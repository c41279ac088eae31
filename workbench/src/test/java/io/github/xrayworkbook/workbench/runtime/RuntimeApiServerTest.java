package io.github.xrayworkbook.workbench.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RuntimeApiServerTest {

    @Test
    void refusesAPortInUseWithAnExplanation() {
        try (RuntimeApiServer first = RuntimeApiServer.start(0)) {
            int port = Integer.parseInt(first.address().substring("127.0.0.1:".length()));

            assertThatThrownBy(() -> RuntimeApiServer.start(port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("TCP port " + port + " on 127.0.0.1 is in use:"
                            + " stop whatever holds it or choose another port for the Runtime API");
        }
    }

    @Test
    void answersAnUnknownRequestIdWith400() throws Exception {
        try (RuntimeApiServer api = RuntimeApiServer.start(0)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://" + api.address() + "/2018-06-01/runtime/invocation/nope/response"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("Unknown request id nope");
        }
    }

    @Test
    void aNewEnvironmentDoesNotInheritTheInitErrorOfTheOneBefore() throws Exception {
        try (RuntimeApiServer api = RuntimeApiServer.start(0)) {
            api.newEnvironment();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://" + api.address() + "/2018-06-01/runtime/init/error"))
                    .header("Lambda-Runtime-Function-Error-Type", "Runtime.BadFunctionCode")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"errorMessage\":\"boom\",\"errorType\":\"E\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(api.startError().get(1, TimeUnit.SECONDS)).isInstanceOf(Outcome.InitError.class);

            api.newEnvironment();

            assertThat(api.startError()).isNotDone();
        }
    }
}
