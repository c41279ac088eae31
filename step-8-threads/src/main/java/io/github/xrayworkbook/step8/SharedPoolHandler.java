package io.github.xrayworkbook.step8;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.xray.AWSXRay;
import io.github.xrayworkbook.step2.SampleDataReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

// tag::handler[]
/** Reads at once on a pool shared by every invocation, as a reader first writes it: nothing passed. */
public class SharedPoolHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final SampleDataReader sampleData;
    private final ExecutorService pool = Executors.newFixedThreadPool(ParallelReads.COUNT);

    public SharedPoolHandler() {
        this(System.getenv());
    }

    SharedPoolHandler(Map<String, String> environment) {
        this.sampleData = SampleDataReader.fromEnvironment(environment);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        List<String> messages = AWSXRay.createSubsegment("Read in parallel",
                () -> ParallelReads.run(sampleData::message, pool, read -> read));
        return Map.of("statusCode", 200, "body", String.join(" ", messages));
    }
}
// end::handler[]
