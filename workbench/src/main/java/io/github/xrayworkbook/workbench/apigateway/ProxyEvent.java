package io.github.xrayworkbook.workbench.apigateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.github.xrayworkbook.workbench.trace.StageSegment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The event a REST API's Lambda proxy integration sends (payload format 1.0), as AWS's "Set up
 * Lambda proxy integrations in API Gateway" (set-up-lambda-proxy-integrations) describes it:
 * the route, the headers (single and multi-valued), the query string, the body and a
 * {@code requestContext} naming the API, the stage and the request. API Gateway adds the trace's
 * root to the headers as {@code X-Amzn-Trace-Id}; the join of the trace goes through the invoke's
 * own header, not through the event.
 */
final class ProxyEvent {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ProxyEvent() {
    }

    static byte[] of(StageSegment stage, String resource, HttpExchange http, byte[] body, String requestId,
                     String extendedRequestId, Instant received, String traceRoot) {
        ObjectNode event = JSON.createObjectNode();
        event.put("resource", resource);
        event.put("path", resource);
        event.put("httpMethod", http.getRequestMethod());
        ObjectNode headers = event.putObject("headers");
        ObjectNode multiValueHeaders = event.putObject("multiValueHeaders");
        for (Map.Entry<String, List<String>> header : http.getRequestHeaders().entrySet()) {
            if (header.getKey().equalsIgnoreCase("X-Amzn-Trace-Id")) {
                continue;
            }
            headers.put(header.getKey(), header.getValue().get(header.getValue().size() - 1));
            header.getValue().forEach(multiValueHeaders.putArray(header.getKey())::add);
        }
        headers.put("X-Amzn-Trace-Id", "Root=" + traceRoot);
        multiValueHeaders.putArray("X-Amzn-Trace-Id").add("Root=" + traceRoot);
        String query = http.getRequestURI().getRawQuery();
        if (query == null || query.isEmpty()) {
            event.putNull("queryStringParameters");
            event.putNull("multiValueQueryStringParameters");
        } else {
            ObjectNode single = event.putObject("queryStringParameters");
            ObjectNode multi = event.putObject("multiValueQueryStringParameters");
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                single.put(name, value);
                (multi.has(name) ? (com.fasterxml.jackson.databind.node.ArrayNode) multi.get(name) : multi.putArray(name)).add(value);
            }
        }
        event.putNull("pathParameters");
        event.putNull("stageVariables");
        ObjectNode context = event.putObject("requestContext");
        context.put("resourceId", stage.apiId().substring(0, 6));
        context.put("resourcePath", resource);
        context.put("httpMethod", http.getRequestMethod());
        context.put("extendedRequestId", extendedRequestId);
        context.put("requestTime", REQUEST_TIME.format(received));
        context.put("path", "/" + stage.stage() + resource);
        context.put("accountId", stage.accountId());
        context.put("protocol", http.getProtocol());
        context.put("stage", stage.stage());
        context.put("domainPrefix", stage.apiId());
        context.put("requestTimeEpoch", received.toEpochMilli());
        context.put("requestId", requestId);
        ObjectNode identity = context.putObject("identity");
        identity.put("sourceIp", http.getRemoteAddress().getAddress().getHostAddress());
        identity.put("userAgent", http.getRequestHeaders().getFirst("User-Agent"));
        context.put("domainName", stage.apiId() + ".execute-api." + stage.region() + ".amazonaws.com");
        context.put("apiId", stage.apiId());
        if (body.length == 0) {
            event.putNull("body");
        } else {
            event.put("body", new String(body, StandardCharsets.UTF_8));
        }
        event.put("isBase64Encoded", false);
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
