package io.github.xrayworkbook.workbench.faults;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** A function that outlives any short timeout. */
public class SleepingHandler implements RequestHandler<Object, String> {

    @Override
    public String handleRequest(Object event, Context context) {
        try {
            Thread.sleep(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "woke up";
    }
}
