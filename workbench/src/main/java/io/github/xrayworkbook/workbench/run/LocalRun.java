package io.github.xrayworkbook.workbench.run;

import io.github.xrayworkbook.local.s3.LocalS3;
import io.github.xrayworkbook.local.schema.SegmentDocumentSchema;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.XRayDaemon;
import io.github.xrayworkbook.workbench.layer.OpenTelemetryLayer;
import io.github.xrayworkbook.workbench.runtime.FunctionConfig;
import io.github.xrayworkbook.workbench.runtime.Invocation;
import io.github.xrayworkbook.workbench.runtime.LocalLambda;
import io.github.xrayworkbook.workbench.runtime.RuntimeClient;
import io.github.xrayworkbook.workbench.trace.LambdaFormat;
import io.github.xrayworkbook.workbench.trace.LambdaSegments;
import io.github.xrayworkbook.workbench.trace.Trace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * Runs a step locally: a daemon for the SDK's documents, an S3 server seeded with
 * {@code sample_data.json} for the steps that read it, and the function under the real runtime
 * client; then, per invocation, the trace assembled from the emulated Lambda segments and the
 * documents the SDK sent.
 *
 * @param step the step, for its handler, function name and whether it reads S3
 * @param deploymentPackage the jar to run (the step's own, or another for benchmarks)
 * @param handler the handler to run
 * @param runtimeClient the runtime interface client, native or portable
 * @param format the structure of the Lambda service's segments
 * @param workDir where the package is unpacked and the function's log goes
 * @param timeout the function timeout
 * @param layer AWS's OpenTelemetry Lambda layer, for a step that runs with it
 * @param snapStart whether the function runs with SnapStart: its checkpoint before the first
 *        invocation, then a restore
 * @param maxConcurrency from 1, the invocations go out all at once to one environment whose
 *        runtime client runs that many at a time, as on Lambda Managed Instances; 0, one after
 *        another
 * @param variables the function's own environment variables, as its configuration sets them
 */
public record LocalRun(Step step, Path deploymentPackage, String handler, RuntimeClient runtimeClient,
                       LambdaFormat format, Path workDir, Duration timeout, Optional<OpenTelemetryLayer> layer,
                       boolean snapStart, int maxConcurrency, Map<String, String> variables) {

    /** The region a local run pretends to be in. */
    public static final String REGION = "eu-west-1";

    /** What the run produced. */
    public record Result(List<Invocation> invocations, List<Trace> traces, long invalidDocuments,
                         long tracesMissingSdkDocuments, double seconds, XRayDaemon.Rejections rejected,
                         Path functionLog) {
    }

    /**
     * Invokes the function {@code count} times in a row with the same event.
     *
     * @param onEach called with each invocation and its trace as soon as both are known
     */
    public Result invoke(byte[] event, int count, BiConsumer<Invocation, Trace> onEach) {
        // Everything that is not the function starts beside it: the schema loads and S3Proxy
        // starts while the function's JVM initialises, so a run costs little more than the function.
        CompletableFuture<SegmentDocumentSchema> schema = CompletableFuture.supplyAsync(SegmentDocumentSchema::load);
        List<Invocation> invocations = new ArrayList<>();
        List<Trace> traces = new ArrayList<>();
        long invalid = 0;
        long missing = 0;
        long start = System.nanoTime();
        try (XRayDaemon daemon = XRayDaemon.start(0);
             SeededS3 s3 = step.readsS3() ? SeededS3.startInBackground() : null) {
            FunctionConfig function = new FunctionConfig(step.functionName(), handler, deploymentPackage,
                    REGION, 512, timeout, functionEnvironment(s3, variables),
                    layer.<UnaryOperator<Map<String, String>>>map(l -> l::wrap));
            try (LocalLambda lambda = new LocalLambda(function, runtimeClient, workDir, awsEnvironment(daemon, s3),
                    snapStart, maxConcurrency)) {
                // A step that primes reads S3 before its first invocation (in beforeCheckpoint or in
                // its constructor), when in AWS S3 is long up: its JVM starts once S3 is ready. The
                // others start beside S3Proxy, which is ready before the event goes out.
                boolean primes = snapStart || step.snapStart();
                if (s3 != null && primes) {
                    s3.awaitReady();
                }
                lambda.startEnvironment();
                if (s3 != null) {
                    s3.awaitReady();
                }
                List<Invocation> all = maxConcurrency > 0 ? lambda.invokeAll(event, count) : null;
                for (int i = 0; i < count; i++) {
                    Invocation invocation = all != null ? all.get(i) : lambda.invoke(event);
                    daemon.sync(Duration.ofSeconds(5));
                    List<SegmentDocument> sent = daemon.documents(invocation.trace().root());
                    Trace trace = LambdaSegments.assemble(format, function, invocation, sent);
                    SegmentDocumentSchema validator = join(schema);
                    // What an X-Ray SDK sent is checked as sent; converted spans as X-Ray stores them.
                    invalid += sent.stream().filter(d -> !d.convertedFromSpan())
                            .filter(d -> !validator.violations(d.json()).isEmpty()).count();
                    invalid += trace.documents().stream().filter(d -> !validator.violations(d).isEmpty()).count();
                    if (step.readsS3() && sent.isEmpty()) {
                        missing++;
                    }
                    invocations.add(invocation);
                    traces.add(trace);
                    onEach.accept(invocation, trace);
                }
                return new Result(invocations, traces, invalid, missing, (System.nanoTime() - start) / 1e9,
                        daemon.rejections(), lambda.log());
            }
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static Map<String, String> functionEnvironment(SeededS3 s3, Map<String, String> variables) {
        Map<String, String> environment = new HashMap<>(variables);
        if (s3 != null) {
            environment.putIfAbsent("BUCKET_NAME", Step.LOCAL_BUCKET);
        }
        return environment;
    }

    /** Where the function finds its AWS services, and the credentials the local S3 accepts. */
    private static Map<String, String> awsEnvironment(XRayDaemon daemon, SeededS3 s3) {
        Map<String, String> aws = new HashMap<>();
        aws.put("AWS_ACCESS_KEY_ID", LocalS3.ACCESS_KEY);
        aws.put("AWS_SECRET_ACCESS_KEY", LocalS3.SECRET_KEY);
        aws.put("AWS_XRAY_DAEMON_ADDRESS", daemon.address());
        if (s3 != null) {
            aws.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        }
        return aws;
    }

}
