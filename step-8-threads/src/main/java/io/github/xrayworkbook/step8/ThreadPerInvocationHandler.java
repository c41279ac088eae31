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
/**
 * The same reads on threads made for this invocation, each task handed its subsegment: right one
 * invocation at a time and many at once (Lambda Managed Instances), where the trace id lives in a
 * thread-local that threads inherit when they are made.
 */
public class ThreadPerInvocationHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final SampleDataReader sampleData;

    public ThreadPerInvocationHandler() {
        this(System.getenv());
    }

    ThreadPerInvocationHandler(Map<String, String> environment) {
        this.sampleData = SampleDataReader.fromEnvironment(environment);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        ExecutorService pool = Executors.newFixedThreadPool(ParallelReads.COUNT);
        try {
            List<String> messages = AWSXRay.createSubsegment("Read in parallel",
                    (Subsegment fanOut) -> ParallelReads.run(sampleData::message, pool, read -> XRayContext.under(fanOut, read)));
            return Map.of("statusCode", 200, "body", String.join(" ", messages));
        } finally {
            pool.shutdown();
        }
    }
}
// end::handler[]
