package io.github.xrayworkbook.workbench.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.xrayworkbook.local.schema.SegmentDocumentSchema;
import io.github.xrayworkbook.local.xray.TraceHeader;
import io.github.xrayworkbook.workbench.trace.StageSegment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stand-in stage over real HTTP, with an integration that records what it was handed. */
class LocalRestApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StageSegment STAGE = new StageSegment("xray-workbook-step-7", "a1b2c3d4e5", "prod",
            "eu-west-1", "123456789012");
    private static final String ARN = "arn:aws:lambda:eu-west-1:123456789012:function:xray-workbook-step-7";
    private static final String CALLER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<TraceHeader> headers = new CopyOnWriteArrayList<>();
    private LocalRestApi api;

    private LocalRestApi start(LocalRestApi.Answer answer) {
        api = LocalRestApi.start(0, STAGE, "POST", "/messages", "xray-workbook-step-7", ARN, (requestId, event, header) -> {
            try {
                events.add(JSON.readTree(event));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            headers.add(header);
            return answer;
        });
        return api;
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void sendsAProxyEventAndRecordsTheStageSegmentThatTheFunctionsSegmentsJoin() throws Exception {
        start(new LocalRestApi.Answer.Returned("{\"statusCode\":202,\"headers\":{\"Content-Type\":\"application/json\"},"
                + "\"body\":\"{\\\"messageId\\\":\\\"m-1\\\"}\"}"));

        HttpResponse<String> response = post(api.routeUrl(), "{\"greeting\":\"hi\"}", null);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"messageId\":\"m-1\"}");
        LocalRestApi.Exchange exchange = api.takeExchanges(1).get(0);
        TraceHeader header = exchange.header();
        assertThat(response.headers().firstValue("X-Amzn-Trace-Id")).contains("Root=" + header.root() + ";Sampled=1");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).contains(exchange.requestId());

        JsonNode event = events.get(0);
        assertThat(event.path("resource").asText()).isEqualTo("/messages");
        assertThat(event.path("path").asText()).isEqualTo("/messages");
        assertThat(event.path("httpMethod").asText()).isEqualTo("POST");
        assertThat(event.path("body").asText()).isEqualTo("{\"greeting\":\"hi\"}");
        assertThat(event.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(event.path("headers").path("X-Amzn-Trace-Id").asText()).isEqualTo("Root=" + header.root());
        JsonNode context = event.path("requestContext");
        assertThat(context.path("stage").asText()).isEqualTo("prod");
        assertThat(context.path("path").asText()).isEqualTo("/prod/messages");
        assertThat(context.path("apiId").asText()).isEqualTo("a1b2c3d4e5");
        assertThat(context.path("accountId").asText()).isEqualTo("123456789012");
        assertThat(context.path("requestId").asText()).isEqualTo(exchange.requestId());
        assertThat(context.path("identity").path("sourceIp").asText()).isEqualTo("127.0.0.1");

        // Lambda is handed the trace under the stage's Lambda subsegment.
        JsonNode stage = exchange.stageSegment().orElseThrow();
        JsonNode invoke = stage.path("subsegments").path(0);
        assertThat(headers.get(0)).isEqualTo(new TraceHeader(header.root(), invoke.path("id").asText(), true));
        assertThat(stage.path("id").asText()).isEqualTo(header.parent());
        assertThat(stage.path("name").asText()).isEqualTo("xray-workbook-step-7/prod");
        assertThat(stage.path("origin").asText()).isEqualTo("AWS::ApiGateway::Stage");
        assertThat(stage.has("parent_id")).isFalse();
        assertThat(stage.path("resource_arn").asText()).isEqualTo("arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod");
        assertThat(stage.path("http").path("request").path("method").asText()).isEqualTo("POST");
        assertThat(stage.path("http").path("request").path("url").asText()).endsWith("/prod/messages");
        assertThat(stage.path("http").path("request").path("client_ip").asText()).isEqualTo("127.0.0.1");
        assertThat(stage.path("http").path("response").path("status").asInt()).isEqualTo(202);
        assertThat(stage.path("http").path("response").path("content_length").asInt()).isEqualTo(response.body().length());
        assertThat(stage.path("aws").path("api_gateway").path("request_id").asText()).isEqualTo(exchange.requestId());
        assertThat(stage.path("aws").path("xray").path("sampling_rule_name").asText()).isEqualTo("Default");
        assertThat(stage.path("annotations").path("aws:api_id").asText()).isEqualTo("a1b2c3d4e5");
        assertThat(stage.path("annotations").path("aws:api_stage").asText()).isEqualTo("prod");
        assertThat(stage.path("metadata").path("default").path("request_id").asText()).isEqualTo(exchange.requestId());
        assertThat(invoke.path("name").asText()).isEqualTo("Lambda");
        assertThat(invoke.path("namespace").asText()).isEqualTo("aws");
        assertThat(invoke.path("aws").path("operation").asText()).isEqualTo("Invoke");
        assertThat(invoke.path("aws").path("function_name").asText()).isEqualTo("xray-workbook-step-7");
        assertThat(invoke.path("http").path("request").path("url").asText())
                .isEqualTo("https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/" + ARN + "/invocations");
        assertThat(SegmentDocumentSchema.load().violations(stage)).isEmpty();
    }

    @Test
    void followsTheCallersTraceAndSamplingDecision() throws Exception {
        start(new LocalRestApi.Answer.Returned("{\"statusCode\":200,\"body\":\"ok\"}"));

        post(api.routeUrl(), "{}", CALLER + ";Sampled=1");
        post(api.routeUrl(), "{}", CALLER + ";Sampled=0");
        post(api.routeUrl(), "{}", "Root=garbage");

        List<LocalRestApi.Exchange> exchanges = api.takeExchanges(3);
        JsonNode joined = exchanges.get(0).stageSegment().orElseThrow();
        assertThat(joined.path("trace_id").asText()).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
        assertThat(joined.path("parent_id").asText()).isEqualTo("53995c3f42cd8ad8");
        // The caller decided: no sampling rule of API Gateway's was applied.
        assertThat(joined.path("aws").has("xray")).isFalse();

        assertThat(exchanges.get(1).stageSegment()).isEmpty();
        assertThat(headers.get(1).sampled()).isFalse();
        assertThat(headers.get(1).root()).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");

        // A header API Gateway cannot read starts a new trace.
        assertThat(exchanges.get(2).header().root()).isNotEqualTo("1-5759e988-bd862e3fe1be46a994272793");
        assertThat(exchanges.get(2).stageSegment()).isPresent();
    }

    @Test
    void answersARouteItDoesNotHaveAsARestApiDoesWithoutCallingTheFunction() throws Exception {
        start(new LocalRestApi.Answer.Returned("{\"statusCode\":200,\"body\":\"ok\"}"));
        URI route = api.routeUrl();

        HttpResponse<String> wrongPath = post(route.resolve("/prod/other"), "{}", null);
        HttpResponse<String> wrongStage = post(route.resolve("/dev/messages"), "{}", null);
        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(route).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> response : List.of(wrongPath, wrongStage, wrongMethod)) {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("MissingAuthenticationTokenException");
        }
        assertThat(events).isEmpty();
        assertThat(api.takeExchanges(3)).allSatisfy(e -> assertThat(e.stageSegment()).isEmpty());
    }

    @Test
    void answers502WhenTheFunctionFailsOrReturnsNoProxyResponse() throws Exception {
        start(new LocalRestApi.Answer.Failed("Function error"));
        HttpResponse<String> failed = post(api.routeUrl(), "{}", null);
        api.close();
        start(new LocalRestApi.Answer.Returned("\"just a string\""));
        HttpResponse<String> notProxy = post(api.routeUrl(), "{}", null);

        for (HttpResponse<String> response : List.of(failed, notProxy)) {
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).isEqualTo("{\"message\": \"Internal server error\"}");
        }
        assertThat(api.takeExchanges(1).get(0).stageSegment().orElseThrow()
                .path("http").path("response").path("status").asInt()).isEqualTo(502);
    }

    @Test
    void aPortInUseIsOneLine() {
        start(new LocalRestApi.Answer.Failed("unused"));
        int port = api.routeUrl().getPort();

        assertThatThrownBy(() -> LocalRestApi.start(port, STAGE, "POST", "/messages", "f", ARN, (r, e, h) -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("TCP port " + port + " on 127.0.0.1 is in use: stop whatever holds it or choose another"
                        + " port for the local REST API");
    }

    private HttpResponse<String> post(URI url, String body, String traceHeader) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(body));
        if (traceHeader != null) {
            request.header("X-Amzn-Trace-Id", traceHeader);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
