package io.github.xrayworkbook.step6;

import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** What the tests of step 6 share: the function's environment, and what it prints. */
final class Step6Fixture {

    static final String BUCKET = "xray-workbook-step-6";
    static final String REGION = "eu-west-1";

    private Step6Fixture() {
    }

    static void seed(LocalAwsExtension aws) {
        aws.s3().createBucket(BUCKET);
        aws.s3().putObject(BUCKET, "sample_data.json", "{\"message\": \"Hello from S3!\"}");
    }

    static Map<String, String> lambdaEnvironment(String... overrides) {
        Map<String, String> environment = new HashMap<>(Map.of("BUCKET_NAME", BUCKET, "AWS_REGION", REGION));
        for (int i = 0; i < overrides.length; i += 2) {
            environment.put(overrides[i], overrides[i + 1]);
        }
        return environment;
    }

    /** What the code printed on standard output, where Lambda's log gets it. */
    static String printed(Runnable code) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            code.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** How many documents the local daemon has received, once it has caught up. */
    static int documentsReceived(LocalAwsExtension aws) {
        aws.documentsSent(TraceHeader.newTrace(true));
        return LocalAwsExtension.daemon().documents().size();
    }
}
