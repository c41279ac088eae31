package io.github.xrayworkbook.step6;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.xrayworkbook.step2.SampleDataReader;
import java.util.Map;

// tag::handler[]
/**
 * Step 2's function primed without SnapStart: the constructor reads the object once, so the cost
 * of the first read moves out of the first invocation into Lambda's Init phase.
 */
public class ConstructorPrimedHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final SampleDataReader sampleData;

    public ConstructorPrimedHandler() {
        this(System.getenv());
    }

    ConstructorPrimedHandler(Map<String, String> environment) {
        this.sampleData = SampleDataReader.fromEnvironment(environment);
        System.out.println("constructor: " + Priming.prime(sampleData));
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Map.of("statusCode", 200, "body", sampleData.message());
    }
}
// end::handler[]
