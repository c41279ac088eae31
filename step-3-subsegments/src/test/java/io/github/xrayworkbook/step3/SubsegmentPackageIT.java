package io.github.xrayworkbook.step3;

import io.github.xrayworkbook.local.junit.TracedFunctionPackageContract;

class SubsegmentPackageIT extends TracedFunctionPackageContract {

    @Override
    protected String handlerClassFile() {
        return "io/github/xrayworkbook/step3/SubsegmentHandler.class";
    }
}
