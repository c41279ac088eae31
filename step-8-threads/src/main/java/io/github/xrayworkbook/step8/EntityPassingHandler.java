package io.github.xrayworkbook.step8;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.entities.Subsegment;
import io.github.xrayworkbook.step2.SampleDataReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

// tag::handler[]
/** The same shared pool, each task handed the subsegment it belongs under: the X-Ray SDK's advice. */
public class EntityPassingHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final SampleDataReader sampleData;
    private final ExecutorService pool = Executors.newFixedThreadPool(ParallelReads.COUNT);

    public EntityPassingHandler() {
        this(System.getenv());
    }

    EntityPassingHandler(Map<String, String> environment) {
        this.sampleData = SampleDataReader.fromEnvironment(environment);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        List<String> messages = AWSXRay.createSubsegment("Read in parallel",
                (Subsegment fanOut) -> ParallelReads.run(sampleData::message, pool, read -> XRayContext.under(fanOut, read)));
        return Map.of("statusCode", 200, "body", String.join(" ", messages));
    }
}
// end::handler[]
