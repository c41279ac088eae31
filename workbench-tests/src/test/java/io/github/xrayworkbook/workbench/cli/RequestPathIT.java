package io.github.xrayworkbook.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.xrayworkbook.local.schema.SegmentDocumentSchema;
import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import io.github.xrayworkbook.workbench.view.ServiceMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step 7 end to end: requests to the local REST API, the first function under the real runtime
 * client sending to ElasticMQ, the event source mapping invoking the second function, and both
 * traces with the link between them, asserted field by field and against AWS's schema.
 */
class RequestPathIT {

    private static final SegmentDocumentSchema SCHEMA = SegmentDocumentSchema.load();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ANSWER = Pattern.compile("POST /messages answered (\\d+): (.*)");
    private static final String API = "xray-workbook-step-7";
    private static final String QUEUE = "xray-workbook-step-7-queue";

    @TempDir
    Path out;

    @Test
    void aRequestIsOneTraceFromTheStageToTheQueueAndItsMessageStartsALinkedOne() throws IOException {
        LocalRunResult run = SharedRuns.of(SharedRuns.coldThenWarm("step-7"));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).doesNotContain("do not validate");
        List<String> messageIds = new ArrayList<>();
        Matcher answer = ANSWER.matcher(run.stdout());
        while (answer.find()) {
            assertThat(answer.group(1)).isEqualTo("202");
            messageIds.add(JSON.readTree(answer.group(2)).path("messageId").asText());
        }
        assertThat(messageIds).hasSize(2).doesNotHaveDuplicates();
        run.traces().forEach(trace -> trace.documents().forEach(document ->
                assertThat(SCHEMA.violations(document)).as(document.toString()).isEmpty()));

        List<Trace> producers = run.traces().stream().filter(t -> t.roots().get(0).origin().equals("AWS::ApiGateway::Stage")).toList();
        List<Trace> consumers = run.traces().stream().filter(t -> t.roots().get(0).name().equals(QUEUE)).toList();
        assertThat(producers).hasSize(2);
        assertThat(consumers).isNotEmpty();
        assertThat(producers.size() + consumers.size()).isEqualTo(run.traces().size());

        Trace cold = producers.get(0);
        Span sendMessage = assertProducer(cold, messageIds.get(0), true);
        assertProducer(producers.get(1), messageIds.get(1), false);

        // Each producer's function segment links to the consumer trace that got its message, naming
        // that trace's AWS::Lambda segment; the consumer's trace is a new one, not a child in the first.
        List<String> linked = new ArrayList<>();
        for (Trace producer : producers) {
            Span function = producer.roots().get(0).children().get(0).children().get(0).children().get(0);
            JsonNode links = function.document().path("links");
            assertThat(links).hasSize(1);
            JsonNode link = links.get(0);
            Trace consumer = consumers.stream().filter(c -> c.id().equals(link.path("trace_id").asText())).findFirst().orElseThrow();
            assertThat(consumer.id()).isNotEqualTo(producer.id());
            assertThat(link.path("id").asText()).isEqualTo(consumer.roots().get(0).id());
            JsonNode attributes = link.path("attributes");
            assertThat(attributes.path("aws.xray.reserved.names")).isEqualTo(JSON.readTree("[\"" + QUEUE + "\"]"));
            assertThat(attributes.path("aws.xray.reserved.type").asText()).isEqualTo("AWS::Lambda");
            assertThat(attributes.path("aws.xray.reserved.reference_type").asText()).isEqualTo("child");
            assertThat(attributes.path("aws.xray.reserved.dwell_end_time").asDouble())
                    .isGreaterThanOrEqualTo(function.children().stream().filter(s -> s.name().equals("Sqs")).findFirst()
                            .orElseThrow().end())
                    .isLessThanOrEqualTo(consumer.roots().get(0).start() + 1e-3);
            linked.add(producer.id());
        }
        assertThat(linked).hasSize(2);

        int s3Calls = 0;
        for (Trace consumer : consumers) {
            Span service = consumer.roots().get(0);
            assertThat(service.origin()).isEqualTo("AWS::Lambda");
            assertThat(service.document().has("parent_id")).isFalse();
            assertThat(service.document().has("links")).isFalse();
            assertThat(service.document().path("resource_arn").asText()).endsWith(":function:" + QUEUE);
            Span function = service.children().get(0);
            assertThat(function.origin()).isEqualTo("AWS::Lambda::Function");
            assertThat(function.status()).isEqualTo(Span.Status.OK);
            for (Span call : function.children()) {
                if (call.name().equals("S3")) {
                    s3Calls++;
                    assertThat(call.document().path("aws").path("operation").asText()).isEqualTo("GetObject");
                    assertThat(call.children()).anySatisfy(inferred -> assertThat(inferred.origin()).isEqualTo("AWS::S3::Bucket"));
                }
            }
            assertThat(consumer.documents()).allSatisfy(d -> assertThat(d.path("trace_id").asText()).isEqualTo(consumer.id()));
        }
        // One read of S3 per message, whatever the batches.
        assertThat(s3Calls).isEqualTo(2);
        String functionLog = Files.readString(run.out().resolve("function/queue/function.log"));
        for (String id : messageIds) {
            assertThat(functionLog).contains("Message " + id + ": Hello from S3!");
        }

        String map = new ServiceMap(run.traces()).renderText();
        assertThat(map).startsWith("""
                Client -> xray-workbook-step-7/prod (AWS::ApiGateway::Stage)  2 calls  OK
                xray-workbook-step-7/prod (AWS::ApiGateway::Stage) -> xray-workbook-step-7 (AWS::Lambda)  2 calls  OK
                xray-workbook-step-7 (AWS::Lambda) -> xray-workbook-step-7 (AWS::Lambda::Function)  2 calls  OK
                xray-workbook-step-7 (AWS::Lambda::Function) -> Sqs (AWS::Sqs)  2 calls  OK
                Sqs (AWS::Sqs) ~> xray-workbook-step-7-queue (AWS::Lambda)  """)
                .doesNotContain("Client -> xray-workbook-step-7-queue")
                .contains("xray-workbook-step-7-queue (AWS::Lambda::Function) -> S3 (AWS::S3::Bucket)");
        assertThat(run.stdout()).contains("Map of the linked traces").contains(map)
                .contains("New trace " + consumers.get(0).id() + ", linked from " + cold.id())
                .contains("link to trace " + consumers.get(0).id() + " (" + QUEUE + ", child)");
        assertThat(Files.readString(run.out().resolve("map.svg"))).contains("stroke-dasharray");
        BookViews.keep("step-7-request", cold);
        BookViews.keep("step-7-queue", consumers.get(0));
        BookViews.keepLinked("step-7", run.traces());
        BookViews.write("step-7-run.txt", run.stdout().replace(LocalRunResult.ROOT.toString(), "."));
        assertThat(sendMessage.document().path("aws").path("queue_url").asText()).endsWith("/123456789012/" + API);
    }

    /** The stage segment, the invoke under it, Lambda's two segments joined to it, and the SQS call. */
    private static Span assertProducer(Trace trace, String messageId, boolean cold) {
        assertThat(trace.roots()).hasSize(1);
        Span stage = trace.roots().get(0);
        JsonNode document = stage.document();
        assertThat(stage.name()).isEqualTo(API + "/prod");
        assertThat(document.has("parent_id")).isFalse();
        assertThat(document.path("http").path("request").path("method").asText()).isEqualTo("POST");
        assertThat(document.path("http").path("request").path("url").asText()).matches("http://127\\.0\\.0\\.1:\\d+/prod/messages");
        assertThat(document.path("http").path("response").path("status").asInt()).isEqualTo(202);
        String apiId = document.path("aws").path("api_gateway").path("rest_api_id").asText();
        assertThat(apiId).matches("[a-z0-9]{10}");
        assertThat(document.path("annotations").path("aws:api_id").asText()).isEqualTo(apiId);
        assertThat(document.path("resource_arn").asText()).isEqualTo("arn:aws:apigateway:eu-west-1::/restapis/" + apiId + "/stages/prod");
        assertThat(stage.emulated()).isTrue();
        assertThat(stage.children()).hasSize(1);
        Span invoke = stage.children().get(0);
        assertThat(invoke.name()).isEqualTo("Lambda");
        assertThat(invoke.document().path("aws").path("operation").asText()).isEqualTo("Invoke");
        assertThat(invoke.children()).hasSize(1);
        Span service = invoke.children().get(0);
        assertThat(service.origin()).isEqualTo("AWS::Lambda");
        assertThat(service.document().path("parent_id").asText()).isEqualTo(invoke.id());
        assertThat(service.start()).isGreaterThanOrEqualTo(invoke.start());
        assertThat(service.end()).isLessThanOrEqualTo(invoke.end() + 1e-3);
        Span function = service.children().get(0);
        assertThat(function.origin()).isEqualTo("AWS::Lambda::Function");
        assertThat(function.children()).extracting(Span::name)
                .containsExactlyElementsOf(cold ? List.of("Init", "Sqs", "Overhead") : List.of("Sqs", "Overhead"));
        Span sendMessage = function.children().stream().filter(s -> s.name().equals("Sqs")).findFirst().orElseThrow();
        JsonNode aws = sendMessage.document().path("aws");
        assertThat(sendMessage.namespace()).isEqualTo("aws");
        assertThat(aws.path("operation").asText()).isEqualTo("SendMessage");
        assertThat(aws.path("message_id").asText()).isEqualTo(messageId);
        assertThat(sendMessage.document().path("http").path("response").path("status").asInt()).isEqualTo(200);
        assertThat(trace.documents()).allSatisfy(d -> assertThat(d.path("trace_id").asText()).isEqualTo(trace.id()));
        return sendMessage;
    }

    @Test
    void aCallerThatSaysSampled0LeavesNoTraceOfTheRequestAndTheConsumersTraceLinksToNothing() {
        LocalRunResult run = LocalRunResult.run(out, "step-7", "--trace-header",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("POST /messages answered 202: ")
                .contains("Not sampled (the caller's header said Sampled=0)")
                .contains(", linked to no other trace");
        assertThat(run.traces()).hasSize(1);
        assertThat(run.traces().get(0).roots().get(0).name()).isEqualTo(QUEUE);
        assertThat(run.traces().get(0).id()).isNotEqualTo("1-5759e988-bd862e3fe1be46a994272793");
    }

    @Test
    void aMessageTheConsumerFailsOnIsTriedThreeTimesEachAFaultedTraceThenDeadLettered() throws IOException {
        Path body = Files.writeString(out.resolve("body.json"), "[1, 2]");
        LocalRunResult run = LocalRunResult.run(out.resolve("run"), "step-7", "--event", body.toString());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stderr()).isEqualTo("workbench: xray-workbook-step-7-queue failed on 3 batch(es); 1 message(s)"
                + " moved to the dead-letter queue after 3 receives (run with --verbose for the functions' logs)\n");
        assertThat(run.stdout()).contains("POST /messages answered 202: ")
                .contains("receive 1): failed, java.lang.IllegalArgumentException: Message ")
                .contains("receive 3): failed, ").contains("1 message(s) in the dead-letter queue");
        List<Trace> consumers = run.traces().stream().filter(t -> t.roots().get(0).name().equals(QUEUE)).toList();
        assertThat(consumers).hasSize(3);
        for (Trace consumer : consumers) {
            Span function = consumer.roots().get(0).children().get(0);
            assertThat(function.status()).isEqualTo(Span.Status.FAULT);
            assertThat(function.exceptions().get(0).path("message").asText()).endsWith(" is not a JSON object");
            assertThat(function.children()).extracting(Span::name).doesNotContain("S3");
        }
        // The producer's function segment links to every try.
        Optional<Trace> producer = run.traces().stream().filter(t -> !consumers.contains(t)).findFirst();
        Span function = producer.orElseThrow().roots().get(0).children().get(0).children().get(0).children().get(0);
        assertThat(function.document().path("links")).hasSize(3);
    }

    @Test
    void optionsThatDoNotApplyOrAMalformedTraceHeaderAreOneLineBeforeAnythingStarts() {
        LocalRunResult concurrent = LocalRunResult.run(out.resolve("a"), "step-7", "--max-concurrency", "4");
        LocalRunResult variable = LocalRunResult.run(out.resolve("d"), "step-7", "--env", "QUEUE_URL=elsewhere");
        LocalRunResult malformed = LocalRunResult.run(out.resolve("b"), "step-7", "--trace-header", "Root=1-abc");
        LocalRunResult direct = LocalRunResult.run(out.resolve("c"), "step-2", "--trace-header",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");

        assertThat(concurrent.exitCode()).isEqualTo(2);
        assertThat(concurrent.stderr()).isEqualTo("workbench: step-7 runs behind its REST API and queue:"
                + " --max-concurrency, --snapstart, --handler and --env do not apply to it\n");
        assertThat(variable.exitCode()).isEqualTo(2);
        assertThat(variable.stderr()).isEqualTo(concurrent.stderr());
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.stderr()).isEqualTo("workbench: --trace-header: 'Root=1-abc' is not a trace header: its Root"
                + " must be 1-<8 hex digits>-<24 hex digits>, not '1-abc'\n");
        assertThat(direct.exitCode()).isEqualTo(2);
        assertThat(direct.stderr()).isEqualTo("workbench: --trace-header is for a step with a REST API; step-2 is"
                + " invoked directly, with a new trace each time\n");
        for (LocalRunResult run : List.of(concurrent, variable, malformed, direct)) {
            assertThat(run.stdout()).isEmpty();
            assertThat(run.traces()).isEmpty();
        }
    }
}
