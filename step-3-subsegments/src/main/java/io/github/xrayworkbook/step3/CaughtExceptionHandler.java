package io.github.xrayworkbook.step3;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

// tag::handler[]
/**
 * Step 3's function with its exception caught: the {@code Throwing exception} subsegment still
 * records the fault, but the invocation succeeds, so Lambda leaves the function segment OK.
 * X-Ray does not pass a fault up from a subsegment to its parent.
 */
public class CaughtExceptionHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final SubsegmentHandler failing;

    public CaughtExceptionHandler() {
        this(new SubsegmentHandler());
    }

    CaughtExceptionHandler(SubsegmentHandler failing) {
        this.failing = failing;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        try {
            return failing.handleRequest(event, context);
        } catch (RuntimeException e) {
            return Map.of("statusCode", 200, "body", "Caught: " + e.getMessage());
        }
    }
}
// end::handler[]
