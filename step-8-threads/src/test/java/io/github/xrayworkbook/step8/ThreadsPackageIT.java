package io.github.xrayworkbook.step8;

import io.github.xrayworkbook.local.junit.TracedFunctionPackageContract;

class ThreadsPackageIT extends TracedFunctionPackageContract {

    @Override
    protected String handlerClassFile() {
        return "io/github/xrayworkbook/step8/ThreadPerInvocationHandler.class";
    }
}
