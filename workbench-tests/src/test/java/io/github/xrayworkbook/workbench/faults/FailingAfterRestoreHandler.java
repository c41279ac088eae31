package io.github.xrayworkbook.workbench.faults;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import org.crac.Core;
import org.crac.Resource;

/** A SnapStart function that cannot resume: its afterRestore hook throws. */
public class FailingAfterRestoreHandler implements RequestHandler<Object, String>, Resource {

    public FailingAfterRestoreHandler() {
        Core.getGlobalContext().register(this);
    }

    @Override
    public String handleRequest(Object event, Context context) {
        return "unreachable: the restore failed";
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        System.out.println("beforeCheckpoint: nothing to prime");
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        throw new IllegalStateException("reconnecting failed on purpose");
    }
}
