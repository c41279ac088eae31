package io.github.xrayworkbook.workbench.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
}
