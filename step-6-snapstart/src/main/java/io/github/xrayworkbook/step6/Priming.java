package io.github.xrayworkbook.step6;

import io.github.xrayworkbook.step2.SampleDataReader;

/**
 * What the first invocation would otherwise pay for, done ahead of it: one real read of the object
 * through the client the handler uses. It loads and compiles the S3 client's request path
 * (signing, HTTP, response parsing), JSON parsing, and the X-Ray recorder with its interceptor.
 * AWS calls this priming: "Maximize Lambda SnapStart performance",
 * https://docs.aws.amazon.com/lambda/latest/dg/snapstart-best-practices.html.
 *
 * <p>It runs outside any invocation, where there is no trace header: the X-Ray SDK's Lambda
 * context then records the S3 call into a no-op segment, and nothing is sent to X-Ray.
 */
final class Priming {

    private Priming() {
    }

    // tag::prime[]
    /** Reads the object once, and says how that went in one line for the function's log. */
    static String prime(SampleDataReader sampleData) {
        long start = System.nanoTime();
        try {
            sampleData.message();
            return "primed the S3 read in %d ms".formatted((System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            // Priming only saves time: if the read fails now, the first invocation reports why.
            return "priming failed, the first invocation pays for it: " + e.getMessage();
        }
    }
    // end::prime[]
}
