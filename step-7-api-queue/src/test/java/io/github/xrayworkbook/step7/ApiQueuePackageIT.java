package io.github.xrayworkbook.step7;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.local.junit.TracedFunctionPackageContract;
import org.junit.jupiter.api.Test;

class ApiQueuePackageIT extends TracedFunctionPackageContract {

    @Override
    protected String handlerClassFile() {
        return "io/github/xrayworkbook/step7/ApiHandler.class";
    }

    @Test
    void holdsTheQueuesHandlerAndTheSqsClientToo() {
        assertThat(lambdaPackage.contains("io/github/xrayworkbook/step7/QueueHandler.class")).isTrue();
        assertThat(lambdaPackage.contains("software/amazon/awssdk/services/sqs/SqsClient.class")).isTrue();
        assertThat(lambdaPackage.contains("com/amazonaws/services/lambda/runtime/events/SQSEvent.class")).isTrue();
        // The runtime client's serializer for the events library's classes loads Joda-Time's DateTime.
        assertThat(lambdaPackage.contains("org/joda/time/DateTime.class")).isTrue();
    }
}
