package io.github.xrayworkbook.step7;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.Map;

// tag::handler[]
/**
 * Behind an API Gateway REST API: queues the request's body for {@link QueueHandler} and answers
 * at once with the message's id. The SQS client is traced like step 2's S3 client, and the trace
 * header it sends with the message is what links the consumer's trace to this one.
 */
public class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final MessageSender queue;

    public ApiHandler() {
        this(System.getenv());
    }

    ApiHandler(Map<String, String> environment) {
        this.queue = MessageSender.fromEnvironment(environment);
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        String body = request.getBody() == null ? "{}" : request.getBody();
        String messageId = queue.send(body);
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(202)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody("{\"messageId\":\"" + messageId + "\"}");
    }
}
// end::handler[]
