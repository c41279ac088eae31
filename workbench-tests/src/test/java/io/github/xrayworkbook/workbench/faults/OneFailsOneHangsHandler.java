package io.github.xrayworkbook.workbench.faults;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A function shared by many invocations at once: the first to arrive throws, the second outlives
 * any short timeout, every other one answers with the order it arrived in.
 */
public class OneFailsOneHangsHandler implements RequestHandler<Object, String> {

    private final AtomicInteger arrived = new AtomicInteger();

    @Override
    public String handleRequest(Object event, Context context) {
        int order = arrived.incrementAndGet();
        if (order == 1) {
            throw new IllegalStateException("the first invocation fails on purpose");
        }
        if (order == 2) {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return "answer " + order;
    }
}
