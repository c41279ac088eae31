package io.github.xrayworkbook.step7;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.xrayworkbook.step2.SampleDataReader;
import java.util.Map;

// tag::handler[]
/**
 * Invoked by Lambda with a batch of the queue's messages. Each message must be a JSON object; for
 * each, the function reads {@code sample_data.json} as step 2 does. A message it cannot read fails
 * the whole batch, which Lambda then hands out again (and, after the queue's maxReceiveCount, SQS
 * moves to the dead-letter queue).
 */
public class QueueHandler implements RequestHandler<SQSEvent, Void> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SampleDataReader sampleData;

    public QueueHandler() {
        this(System.getenv());
    }

    QueueHandler(Map<String, String> environment) {
        this.sampleData = SampleDataReader.fromEnvironment(environment);
    }

    @Override
    public Void handleRequest(SQSEvent event, Context context) {
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            requireJsonObject(message);
            System.out.println("Message " + message.getMessageId() + ": " + sampleData.message());
        }
        return null;
    }
    // end::handler[]

    private static void requireJsonObject(SQSEvent.SQSMessage message) {
        try {
            if (!JSON.readTree(message.getBody()).isObject()) {
                throw new IllegalArgumentException("Message " + message.getMessageId() + " is not a JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Message " + message.getMessageId() + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
    }
// tag::handler[]
}
// end::handler[]
