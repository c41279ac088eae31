package io.github.xrayworkbook.step1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HelloHandlerTest {

    @Test
    void answersLikeTheConsoleTemplate() {
        Map<String, Object> response = new HelloHandler().handleRequest(Map.of("key1", "value1"), null);

        assertThat(response).containsOnly(Map.entry("statusCode", 200), Map.entry("body", "Hello from Lambda!"));
    }
}
