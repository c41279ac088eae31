package io.github.xrayworkbook.step8.opentelemetry;

import java.util.Map;
import java.util.concurrent.Executors;

/** The reads on a pool made once and shared by every invocation, as a reader first writes it. */
public class SharedPoolHandler extends ParallelReadsHandler {

    public SharedPoolHandler() {
        this(System.getenv());
    }

    SharedPoolHandler(Map<String, String> environment) {
        // tag::pool[]
        super(environment, Executors.newFixedThreadPool(READS));
        // end::pool[]
    }
}
