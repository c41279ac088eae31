package io.github.xrayworkbook.workbench.faults;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import org.crac.Core;
import org.crac.Resource;

/** A SnapStart function whose priming fails: its beforeCheckpoint hook throws. */
public class FailingBeforeCheckpointHandler implements RequestHandler<Object, String>, Resource {

    public FailingBeforeCheckpointHandler() {
        Core.getGlobalContext().register(this);
    }

    @Override
    public String handleRequest(Object event, Context context) {
        return "unreachable: the version never gets published";
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        throw new IllegalStateException("priming failed on purpose");
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
    }
}
