package io.github.xrayworkbook.step8;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.entities.Entity;
import java.util.function.Supplier;

/** Hands the X-Ray SDK's current entity, which it keeps per thread, to a task on another thread. */
final class XRayContext {

    private XRayContext() {
    }

    // tag::under[]
    /** The task, run with {@code parent} as its thread's current entity, then none. */
    static <T> Supplier<T> under(Entity parent, Supplier<T> task) {
        return () -> {
            AWSXRay.setTraceEntity(parent);
            try {
                return task.get();
            } finally {
                AWSXRay.clearTraceEntity();
            }
        };
    }
    // end::under[]
}
