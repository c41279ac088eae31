package io.github.xrayworkbook.workbench.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xrayworkbook.workbench.trace.Span;
import io.github.xrayworkbook.workbench.trace.Trace;
import io.github.xrayworkbook.workbench.trace.TraceFiles;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Traces X-Ray really stored (see {@code real-traces/SOURCES.md}), rendered by the viewer: both of
 * Lambda's structures, and a service met through both an SDK subsegment and its inferred segment
 * drawn as one node, as the console draws it.
 */
class RealTracesViewTest {

    @Test
    void theCurrentStructureHasNoInvocationAndShowsTheServiceAnnotations() throws URISyntaxException {
        Trace trace = single("current-structure-warm.json");

        Span function = trace.roots().get(0).children().get(0);
        assertThat(function.origin()).isEqualTo("AWS::Lambda::Function");
        assertThat(function.children()).extracting(Span::name).containsExactly("Overhead");
        assertThat(new TimelineView(false).render(trace))
                .contains("annotation aws:responseLatency = 264.19")
                .contains("annotation aws:extensionOverhead = 330.277");
        assertThat(new ServiceMap(trace).renderText()).isEqualTo("""
                Client -> nodejs-example-telemetry-api-demo-function (AWS::Lambda)  1 call  OK
                nodejs-example-telemetry-api-demo-function (AWS::Lambda) -> nodejs-example-telemetry-api-demo-function (AWS::Lambda::Function)  1 call  OK
                """);
    }

    @Test
    void theLegacyStructureDrawsDynamoDbOnceAndTheInvokedFunctionByItsName() throws URISyntaxException {
        Trace trace = single("legacy-structure-cold-inferred-dynamodb.json");

        assertThat(trace.roots()).extracting(Span::origin).containsExactly("AWS::ApiGateway::Stage");
        String map = new ServiceMap(trace).renderText();
        assertThat(map).contains("todo-list-app-dev-postTask (AWS::Lambda::Function) -> DynamoDB (AWS::DynamoDB::Table)  1 call  OK")
                .contains("todo-list-app-dev-postTask (AWS::Lambda::Function) -> todo-list-app-dev-sendNotification (AWS::Lambda)")
                .doesNotContain("(AWS::DynamoDB)").doesNotContain("Lambda (AWS::Lambda)");
        assertThat(new ServiceMap(trace).nodes()).extracting(ServiceMap.Node::key).containsExactly(
                "Client (client)", "dev-todo-list-app/dev (AWS::ApiGateway::Stage)",
                "todo-list-app-dev-postTask (AWS::Lambda)", "todo-list-app-dev-postTask (AWS::Lambda::Function)",
                "DynamoDB (AWS::DynamoDB::Table)", "todo-list-app-dev-sendNotification (AWS::Lambda)",
                "todo-list-app-dev-sendNotification (AWS::Lambda::Function)");
    }

    @Test
    void twoCallsToOneBucketAreOneNodeWithTwoCalls() throws URISyntaxException {
        Trace trace = single("inferred-s3-bucket.json");

        assertThat(new ServiceMap(trace).renderText()).isEqualTo("""
                Client -> raw-crawler-xray-dev (AWS::ECS::Container)  1 call  OK
                raw-crawler-xray-dev (AWS::ECS::Container) -> S3 (AWS::S3::Bucket)  2 calls  OK
                raw-crawler-xray-dev (AWS::ECS::Container) -> DynamoDB (AWS::DynamoDB)  1 call  OK
                """);
    }

    @Test
    void aLinkOnTheProducersInvocationSubsegmentIsShownAndStartsTheLinkedTracesNode() throws URISyntaxException {
        Trace producer = single("producer-links.json");
        // The consumer's trace is not in the fixture: one of its root, named by the link, stands in.
        com.fasterxml.jackson.databind.node.ObjectNode consumerRoot = new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode().put("id", "2acd99f6ce4d0822").put("name", "xray-stuff-ConsumerA-kWsiXtT2gOdW")
                .put("trace_id", "1-654c0558-630340be09e985eb352a72e6").put("start_time", 1699480920.181)
                .put("end_time", 1699480920.3).put("origin", "AWS::Lambda");
        Trace consumer = new Trace("1-654c0558-630340be09e985eb352a72e6", List.of(consumerRoot));

        assertThat(new TimelineView(false).render(producer))
                .contains("link to trace 1-654c0558-630340be09e985eb352a72e6 (xray-stuff-ConsumerA-kWsiXtT2gOdW, child)");
        // The producer called no queue through an instrumented SDK: the link starts at its function.
        assertThat(new ServiceMap(List.of(producer, consumer)).renderText())
                .contains("xray-stuff-ProducerA-LbbjYUkcchrB (AWS::Lambda::Function) ~> xray-stuff-ConsumerA-kWsiXtT2gOdW"
                        + " (AWS::Lambda)  1 link  OK")
                .doesNotContain("Client -> xray-stuff-ConsumerA");
        assertThat(HtmlPage.render(List.of(producer, consumer), "links")).contains("Map of the linked traces");
    }

    private static Trace single(String fixture) throws URISyntaxException {
        List<Trace> traces = TraceFiles.read(Path.of(RealTracesViewTest.class.getResource("/real-traces/" + fixture).toURI()));
        assertThat(traces).hasSize(1);
        return traces.get(0);
    }
}
