package io.github.xrayworkbook.step4;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/**
 * The Lambda context of one invocation, with what the handler reads from it. The runtime client
 * fills {@code getXrayTraceId} with the invocation's {@code Lambda-Runtime-Trace-Id}.
 */
record TestContext(String getAwsRequestId, String getFunctionName, String getInvokedFunctionArn,
                   String getXrayTraceId) implements Context {

    /** A context without a trace header, as an older runtime client gives. */
    TestContext(String getAwsRequestId, String getFunctionName, String getInvokedFunctionArn) {
        this(getAwsRequestId, getFunctionName, getInvokedFunctionArn, null);
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + getFunctionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return 15_000;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 512;
    }

    @Override
    public LambdaLogger getLogger() {
        return null;
    }
}
