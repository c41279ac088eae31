package io.github.xrayworkbook.workbench.faults;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** A function whose JVM dies mid-invocation, as one that runs out of memory would. */
public class ExitingHandler implements RequestHandler<Object, String> {

    @Override
    public String handleRequest(Object event, Context context) {
        Runtime.getRuntime().halt(3);
        return "unreachable";
    }
}
