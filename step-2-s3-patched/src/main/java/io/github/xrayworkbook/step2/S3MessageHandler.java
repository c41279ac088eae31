package io.github.xrayworkbook.step2;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

// tag::handler[]
/** Answers with the {@code message} field of {@code sample_data.json}, read from S3. */
public class S3MessageHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    // Built once per execution environment, when Lambda creates the handler, and reused.
    private final SampleDataReader sampleData;

    public S3MessageHandler() {
        this(System.getenv());
    }

    S3MessageHandler(Map<String, String> environment) {
        this.sampleData = SampleDataReader.fromEnvironment(environment);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Map.of("statusCode", 200, "body", sampleData.message());
    }
}
// end::handler[]
