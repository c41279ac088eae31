package io.github.xrayworkbook.step8.zerocode;

import io.github.xrayworkbook.local.junit.UntracedFunctionPackageContract;

/** The package the agent runs: the handler, and nothing that would trace beside the agent. */
class ThreadsZeroCodePackageIT extends UntracedFunctionPackageContract {

    @Override
    protected String handlerClassFile() {
        return "io/github/xrayworkbook/step8/zerocode/ZeroCodeSharedPoolHandler.class";
    }
}
