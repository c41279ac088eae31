package io.github.xrayworkbook.step8.opentelemetry;

import io.opentelemetry.context.Context;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The same shared pool, wrapped: each task runs in the context that was current when it was
 * submitted, whichever invocation submitted it and whichever thread runs it.
 */
public class ContextWrappingHandler extends ParallelReadsHandler {

    public ContextWrappingHandler() {
        this(System.getenv());
    }

    ContextWrappingHandler(Map<String, String> environment) {
        // tag::pool[]
        super(environment, Context.taskWrapping(Executors.newFixedThreadPool(READS)));
        // end::pool[]
    }
}
