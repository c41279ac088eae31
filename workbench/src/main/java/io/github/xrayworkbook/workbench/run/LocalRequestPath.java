package io.github.xrayworkbook.workbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.xrayworkbook.local.s3.LocalS3;
import io.github.xrayworkbook.local.schema.SegmentDocumentSchema;
import io.github.xrayworkbook.local.sqs.LocalSqs;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.TraceHeader;
import io.github.xrayworkbook.local.xray.XRayDaemon;
import io.github.xrayworkbook.workbench.apigateway.LocalRestApi;
import io.github.xrayworkbook.workbench.eventsource.SqsEventSource;
import io.github.xrayworkbook.workbench.runtime.FunctionConfig;
import io.github.xrayworkbook.workbench.runtime.Invocation;
import io.github.xrayworkbook.workbench.runtime.LocalLambda;
import io.github.xrayworkbook.workbench.runtime.Outcome;
import io.github.xrayworkbook.workbench.runtime.RuntimeClient;
import io.github.xrayworkbook.workbench.trace.LambdaFormat;
import io.github.xrayworkbook.workbench.trace.LambdaSegments;
import io.github.xrayworkbook.workbench.trace.StageSegment;
import io.github.xrayworkbook.workbench.trace.Trace;
import io.github.xrayworkbook.workbench.trace.TraceLinks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Runs a step with a REST API and a queue (step 7) locally: the stage in front of the first
 * function ({@link LocalRestApi}), the queue between the two functions (ElasticMQ, a real
 * SQS-compatible server), Lambda's event source mapping that hands the queue's messages to the
 * second function ({@link SqsEventSource}), S3 and the X-Ray daemon. Sends requests to the API as a
 * caller would, then lets the queue drain; then writes each request's trace (the stage segment
 * joined to the first function's) and each queue invocation's new trace, with the link X-Ray stores
 * between them ({@link TraceLinks}).
 *
 * <p>The queue is made as the step's template makes it (a dead-letter queue after three receives),
 * with a visibility timeout of {@value #VISIBILITY_TIMEOUT_SECONDS} s instead of the template's 90,
 * so that a failed message comes back within a local run.
 *
 * @param step the step: its handlers, route and function names
 * @param deploymentPackage the jar both functions run
 * @param runtimeClient the runtime interface client, native or portable
 * @param format the structure of the Lambda service's segments
 * @param workDir where each function's package is unpacked and its log goes
 * @param timeout the functions' timeout
 */
public record LocalRequestPath(Step step, Path deploymentPackage, RuntimeClient runtimeClient, LambdaFormat format,
                               Path workDir, Duration timeout) {

    public static final String STAGE = "prod";
    public static final int VISIBILITY_TIMEOUT_SECONDS = 2;
    public static final int MAX_RECEIVE_COUNT = 3;
    public static final int BATCH_SIZE = 10;

    /** One request to the API, what it answered, and the first function's trace if it was sampled. */
    public record Request(LocalRestApi.Exchange exchange, Optional<Invocation> invocation, Optional<Trace> trace) {
    }

    /** One batch the queue's function was invoked with, and its new trace. */
    public record Consumed(SqsEventSource.Delivery<Invocation> delivery, Trace trace, List<String> linkedFrom) {
    }

    /** What the run produced. */
    public record Result(List<Request> requests, List<Consumed> consumed, List<Trace> traces, long invalidDocuments,
                         List<String> warnings, int deadLetters, XRayDaemon.Rejections rejected,
                         Path apiFunctionLog, Path queueFunctionLog) {
    }

    /**
     * Sends {@code count} requests with {@code body} to the API, one after another, then waits
     * until the queue is empty.
     *
     * @param traceHeader an {@code X-Amzn-Trace-Id} to send with each request, as a caller that
     *        traces would
     */
    public Result send(byte[] body, int count, Optional<String> traceHeader) {
        Step.Route route = step.restApi().orElseThrow(() -> new IllegalArgumentException(step.shortName() + " has no REST API"));
        String queueHandler = step.queueHandler().orElseThrow(() ->
                new IllegalArgumentException(step.shortName() + " has no queue function (workbook.queue-handler)"));
        SegmentDocumentSchema schema = SegmentDocumentSchema.load();
        try (XRayDaemon daemon = XRayDaemon.start(0);
             SeededS3 s3 = step.readsS3() ? SeededS3.startInBackground() : null;
             LocalSqs sqsServer = LocalSqs.start(0, FunctionConfig.ACCOUNT_ID, LocalRun.REGION);
             SqsClient sqs = sqsClient(sqsServer.endpoint())) {
            String deadLetters = sqs.createQueue(q -> q.queueName(step.functionName() + "-dead-letters")).queueUrl();
            String deadLetterArn = arn(sqs, deadLetters);
            String queueUrl = sqs.createQueue(q -> q.queueName(step.functionName()).attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(VISIBILITY_TIMEOUT_SECONDS),
                    QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + deadLetterArn
                            + "\",\"maxReceiveCount\":\"" + MAX_RECEIVE_COUNT + "\"}"))).queueUrl();

            Map<String, String> environment = new HashMap<>();
            environment.put("AWS_ACCESS_KEY_ID", LocalS3.ACCESS_KEY);
            environment.put("AWS_SECRET_ACCESS_KEY", LocalS3.SECRET_KEY);
            environment.put("AWS_XRAY_DAEMON_ADDRESS", daemon.address());
            environment.put("AWS_ENDPOINT_URL_SQS", sqsServer.endpoint().toString());
            if (s3 != null) {
                environment.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
            }
            FunctionConfig apiFunction = new FunctionConfig(step.functionName(), step.handler(), deploymentPackage,
                    LocalRun.REGION, 512, timeout, Map.of("QUEUE_URL", queueUrl));
            FunctionConfig queueFunction = new FunctionConfig(step.queueFunctionName(), queueHandler, deploymentPackage,
                    LocalRun.REGION, 512, timeout, s3 == null ? Map.of() : Map.of("BUCKET_NAME", Step.LOCAL_BUCKET));
            StageSegment stage = new StageSegment(step.functionName(), apiId(), STAGE, LocalRun.REGION, FunctionConfig.ACCOUNT_ID);
            Map<String, Invocation> apiInvocations = new java.util.concurrent.ConcurrentHashMap<>();
            Map<String, TraceHeader> toLambda = new java.util.concurrent.ConcurrentHashMap<>();
            try (LocalLambda api = new LocalLambda(apiFunction, runtimeClient, workDir.resolve("api"), environment);
                 LocalLambda consumer = new LocalLambda(queueFunction, runtimeClient, workDir.resolve("queue"), environment);
                 LocalRestApi rest = LocalRestApi.start(0, stage, route.method(), route.path(), apiFunction.name(),
                         apiFunction.arn(), (requestId, event, header) -> {
                             Invocation invocation = api.invoke(event, Optional.of(header));
                             apiInvocations.put(requestId, invocation);
                             toLambda.put(requestId, header);
                             return invocation.outcome() instanceof Outcome.Response response
                                     ? new LocalRestApi.Answer.Returned(response.body())
                                     : new LocalRestApi.Answer.Failed(invocation.outcome().toString());
                         })) {
                // Each function's environment starts when its first event arrives, as in Lambda: the
                // API function's cold start then lies inside the stage's segment, as it does in AWS.
                if (s3 != null) {
                    s3.awaitReady();
                }
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < count; i++) {
                    call(http, rest.routeUrl(), route.method(), body, traceHeader);
                }
                List<LocalRestApi.Exchange> exchanges = rest.takeExchanges(count);
                SqsEventSource source = new SqsEventSource(sqs, queueUrl, arn(sqs, queueUrl), LocalRun.REGION, BATCH_SIZE);
                List<SqsEventSource.Delivery<Invocation>> deliveries = source.drain(consumer::invoke,
                        invocation -> invocation.outcome() instanceof Outcome.Response,
                        timeout.multipliedBy(MAX_RECEIVE_COUNT + 1).plusSeconds(VISIBILITY_TIMEOUT_SECONDS * (MAX_RECEIVE_COUNT + 1L)));

                daemon.sync(Duration.ofSeconds(5));
                List<String> warnings = new ArrayList<>();
                long invalid = 0;
                List<Request> requests = new ArrayList<>();
                Map<String, Trace> byRoot = new LinkedHashMap<>();
                for (int i = 0; i < exchanges.size(); i++) {
                    LocalRestApi.Exchange exchange = exchanges.get(i);
                    Optional<Invocation> invocation = Optional.ofNullable(apiInvocations.get(exchange.requestId()));
                    Optional<Trace> trace = Optional.empty();
                    if (invocation.isPresent() && exchange.stageSegment().isPresent()) {
                        List<SegmentDocument> sent = daemon.documents(exchange.header().root());
                        invalid += invalidSent(schema, sent);
                        Trace lambda = LambdaSegments.assemble(format, apiFunction, invocation.get(), sent,
                                Optional.of(toLambda.get(exchange.requestId()).parent()));
                        List<JsonNode> documents = new ArrayList<>();
                        documents.add(exchange.stageSegment().get());
                        documents.addAll(lambda.documents());
                        trace = Optional.of(new Trace(exchange.header().root(), documents));
                        byRoot.put(exchange.header().root(), trace.get());
                    }
                    requests.add(new Request(exchange, invocation, trace));
                }
                List<Consumed> consumed = new ArrayList<>();
                for (SqsEventSource.Delivery<Invocation> delivery : deliveries) {
                    Invocation invocation = delivery.invocation();
                    List<SegmentDocument> sent = daemon.documents(invocation.trace().root());
                    invalid += invalidSent(schema, sent);
                    Trace trace = LambdaSegments.assemble(format, queueFunction, invocation, sent);
                    List<String> linkedFrom = new ArrayList<>();
                    for (SqsEventSource.Delivery.Sent message : delivery.messages()) {
                        message.unreadable().ifPresent(reason -> warnings.add("Message " + message.messageId()
                                + " carried an AWSTraceHeader the workbench cannot read (" + reason
                                + "): its trace is linked to no other"));
                        Optional<Trace> producer = message.header().map(h -> byRoot.get(h.root()));
                        if (producer.isPresent() && TraceLinks.link(producer.get(), trace, queueFunction.name(), delivery.received())) {
                            linkedFrom.add(producer.get().id());
                        }
                    }
                    consumed.add(new Consumed(delivery, trace, linkedFrom));
                }
                List<Trace> traces = new ArrayList<>(byRoot.values());
                consumed.forEach(c -> traces.add(c.trace()));
                for (Trace trace : traces) {
                    invalid += trace.documents().stream().filter(d -> !schema.violations(d).isEmpty()).count();
                }
                int dead = Integer.parseInt(sqs.getQueueAttributes(q -> q.queueUrl(deadLetters)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
                return new Result(requests, consumed, traces, invalid, warnings, dead, daemon.rejections(),
                        api.log(), consumer.log());
            }
        }
    }

    /** What an X-Ray SDK sent is checked as sent; converted spans as X-Ray stores them, with the trace. */
    private static long invalidSent(SegmentDocumentSchema schema, List<SegmentDocument> sent) {
        return sent.stream().filter(d -> !d.convertedFromSpan()).filter(d -> !schema.violations(d.json()).isEmpty()).count();
    }

    private static void call(HttpClient http, URI url, String method, byte[] body, Optional<String> traceHeader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json").header("User-Agent", "xray-workbook-workbench")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        traceHeader.ifPresent(header -> request.header("X-Amzn-Trace-Id", header));
        try {
            http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new IllegalStateException("The local REST API did not answer " + method + " " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling the local REST API", e);
        }
    }

    private static SqsClient sqsClient(URI endpoint) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.of(LocalRun.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static String arn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(q -> q.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** REST API ids are ten lower-case letters and digits. */
    private static String apiId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 10; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
