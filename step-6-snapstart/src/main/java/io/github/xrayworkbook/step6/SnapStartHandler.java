package io.github.xrayworkbook.step6;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.xrayworkbook.step2.SampleDataReader;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;

// tag::handler[]
/**
 * Step 2's function for SnapStart: its first S3 read happens before Lambda takes the snapshot of
 * the initialised function, so every environment restored from that snapshot starts warm.
 */
public class SnapStartHandler implements RequestHandler<Map<String, Object>, Map<String, Object>>, Resource {

    private final SampleDataReader sampleData;

    public SnapStartHandler() {
        this(System.getenv());
    }

    SnapStartHandler(Map<String, String> environment) {
        this.sampleData = SampleDataReader.fromEnvironment(environment);
        // The runtime holds a Resource weakly: register the handler itself, which Lambda keeps.
        Core.getGlobalContext().register(this);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Map.of("statusCode", 200, "body", sampleData.message());
    }

    // tag::hooks[]
    /** Runs once per published version, when Lambda has initialised it, before the snapshot. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        System.out.println("beforeCheckpoint: " + Priming.prime(sampleData));
    }

    /** Runs in each environment restored from the snapshot, before its first invocation. */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to rebuild: a SnapStart function's SDK gets its credentials from the container
        // endpoint, not keys frozen in the snapshot, and AWS says its connections resume by
        // themselves in most cases. A new client would only lengthen the billed Restore phase and
        // lose what priming warmed.
        System.out.println("afterRestore: keeping the primed S3 client");
    }
    // end::hooks[]
}
// end::handler[]
