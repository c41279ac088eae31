package io.github.xrayworkbook.step2;

import io.github.xrayworkbook.local.junit.TracedFunctionPackageContract;

class S3MessagePackageIT extends TracedFunctionPackageContract {

    @Override
    protected String handlerClassFile() {
        return "io/github/xrayworkbook/step2/S3MessageHandler.class";
    }
}
