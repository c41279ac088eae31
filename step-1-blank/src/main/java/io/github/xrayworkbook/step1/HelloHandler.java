package io.github.xrayworkbook.step1;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

// tag::handler[]
/**
 * The function the Lambda console writes for "Author from scratch", in Java. There is no X-Ray
 * code here: with Active tracing switched on, Lambda records the trace by itself.
 */
public class HelloHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Map.of("statusCode", 200, "body", "Hello from Lambda!");
    }
}
// end::handler[]
