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

    private final Map<String, String> environment;
    // Replaced after a restore: the runtime runs its hooks and the invocations on one thread.
    private SampleDataReader sampleData;

    public SnapStartHandler() {
        this(System.getenv());
    }

    SnapStartHandler(Map<String, String> environment) {
        this.environment = environment;
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
        // The primed client holds what it fetched before the snapshot (credentials, connection
        // state), which every restored copy would share: each copy gets a client of its own.
        sampleData = SampleDataReader.fromEnvironment(environment);
        System.out.println("afterRestore: a new S3 client for this environment");
    }
    // end::hooks[]
}
// end::handler[]
