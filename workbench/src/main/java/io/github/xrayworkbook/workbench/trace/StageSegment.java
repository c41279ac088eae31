package io.github.xrayworkbook.workbench.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.time.Instant;
import java.util.Optional;

/**
 * The segment an API Gateway REST API stage with tracing on records for a request it sends to a
 * Lambda function: named {@code API-NAME/STAGE}, origin {@code AWS::ApiGateway::Stage}, the
 * caller's request and the answer in {@code http}, the API in {@code aws.api_gateway} and two
 * {@code aws:} annotations, and one subsegment {@code Lambda} for the invoke, whose id is the
 * parent Lambda's segments get.
 *
 * <p>Fields from stored documents: the stage segment kept as a test fixture by awslabs/aws-iatk
 * ({@code internal/pkg/xray/segment_test.go}) and the example in AWS's "Understanding X-Ray traces
 * for REST APIs" (apigateway-understanding-xray-traces), both under {@code real-traces/} in the
 * workbench's tests. The example's {@code aws.xray.sampling_rule_name} is written only when API
 * Gateway made the sampling decision. Labelled as emulated.
 *
 * @param apiName the REST API's name
 * @param apiId its id, ten characters
 * @param stage the stage's name
 * @param region the API's region
 * @param accountId the account that owns it
 */
public record StageSegment(String apiName, String apiId, String stage, String region, String accountId) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What happened to one request, as the stage saw it. */
    public record Request(String requestId, String extendedRequestId, String url, String method, String userAgent,
                          String clientIp, Instant received, Instant answered, int status, long contentLength) {
    }

    /** The invoke of the function, as the stage's {@code Lambda} subsegment records it. */
    public record Invoke(String id, String functionName, String functionArn, Instant started, Instant ended,
                         int status, long contentLength) {
    }

    /**
     * @param header the trace the request is in, the segment's id as its parent
     * @param callerParent the caller's segment, when the request came with one
     * @param decidedHere whether API Gateway made the sampling decision (the caller's header had none)
     */
    public ObjectNode document(TraceHeader header, Optional<String> callerParent, boolean decidedHere,
                               Request request, Invoke invoke) {
        ObjectNode segment = JSON.createObjectNode();
        segment.put("id", header.parent());
        segment.put("name", apiName + "/" + stage);
        segment.put("start_time", LambdaSegments.seconds(request.received()));
        segment.put("trace_id", header.root());
        segment.put("end_time", LambdaSegments.seconds(request.answered()));
        callerParent.ifPresent(parent -> segment.put("parent_id", parent));
        ObjectNode http = segment.putObject("http");
        ObjectNode httpRequest = http.putObject("request");
        httpRequest.put("url", request.url()).put("method", request.method());
        if (request.userAgent() != null) {
            httpRequest.put("user_agent", request.userAgent());
        }
        httpRequest.put("client_ip", request.clientIp()).put("x_forwarded_for", true);
        http.putObject("response").put("status", request.status()).put("content_length", request.contentLength());
        ObjectNode aws = segment.putObject("aws");
        if (decidedHere) {
            aws.putObject("xray").put("sampling_rule_name", "Default");
        }
        aws.putObject("api_gateway").put("account_id", accountId).put("rest_api_id", apiId).put("stage", stage)
                .put("request_id", request.requestId());
        segment.putObject("annotations").put("aws:api_id", apiId).put("aws:api_stage", stage);
        Emulated.label(segment, "API Gateway");
        ((ObjectNode) segment.get("metadata")).putObject("default")
                .put("extended_request_id", request.extendedRequestId()).put("request_id", request.requestId());
        segment.put("origin", "AWS::ApiGateway::Stage");
        segment.put("resource_arn", "arn:aws:apigateway:%s::/restapis/%s/stages/%s".formatted(region, apiId, stage));

        ObjectNode lambda = segment.putArray("subsegments").addObject();
        lambda.put("id", invoke.id());
        lambda.put("name", "Lambda");
        lambda.put("start_time", LambdaSegments.seconds(invoke.started()));
        lambda.put("end_time", LambdaSegments.seconds(invoke.ended()));
        ObjectNode invokeHttp = lambda.putObject("http");
        invokeHttp.putObject("request").put("url", "https://lambda.%s.amazonaws.com/2015-03-31/functions/%s/invocations"
                .formatted(region, invoke.functionArn())).put("method", "POST");
        invokeHttp.putObject("response").put("status", invoke.status()).put("content_length", invoke.contentLength());
        lambda.putObject("aws").put("function_name", invoke.functionName()).put("region", region)
                .put("operation", "Invoke").putArray("resource_names").add(invoke.functionName());
        lambda.put("namespace", "aws");
        Emulated.label(lambda, "API Gateway");
        return segment;
    }
}
