package io.github.xrayworkbook.step3;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.entities.Subsegment;
import io.github.xrayworkbook.step2.SampleDataReader;
import java.util.Map;

// tag::handler[]
/** Step 2's function, then a subsegment of our own that records why the invocation fails. */
public class SubsegmentHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final SampleDataReader sampleData;

    public SubsegmentHandler() {
        this(System.getenv());
    }

    SubsegmentHandler(Map<String, String> environment) {
        this.sampleData = SampleDataReader.fromEnvironment(environment);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        String message = sampleData.message();
        // tag::subsegment[]
        AWSXRay.createSubsegment("Throwing exception", this::failOnPurpose);
        // end::subsegment[]
        return Map.of("statusCode", 200, "body", message);
    }

    // tag::fail-on-purpose[]
    private void failOnPurpose(Subsegment subsegment) {
        subsegment.putAnnotation("very_important_annotation", "Very very important information");
        subsegment.putMetadata("information", "very_important_inforamtion",
                Map.of("message", "Hello I am metadata"));
        throw new RuntimeException("Information");
    }
    // end::fail-on-purpose[]
}
// end::handler[]
