package io.github.xrayworkbook.local.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SegmentDocumentSchemaTest {

    private static final SegmentDocumentSchema SCHEMA = SegmentDocumentSchema.load();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String TRACE = "1-5759e988-bd862e3fe1be46a994272793";

    @Test
    void acceptsALambdaFunctionSegment() throws Exception {
        assertThat(SCHEMA.violations(json("""
                {"name": "xray-workbook-step-1", "id": "0123456789abcdef", "trace_id": "%s",
                 "start_time": 1.5, "end_time": 2.5, "origin": "AWS::Lambda::Function",
                 "subsegments": [{"name": "Invocation", "id": "1123456789abcdef", "start_time": 1.6, "end_time": 2.4}]}
                """.formatted(TRACE)))).isEmpty();
    }

    @Test
    void exemptsOnlyTheLambdaServiceAnnotationKeysOnTheFunctionSegment() throws Exception {
        String functionSegment = """
                {"name": "f", "id": "0123456789abcdef", "trace_id": "%s", "start_time": 1.5, "end_time": 2.5,
                 "origin": "%s", "annotations": {%s}}
                """;
        String serviceKeys = "\"aws:responseLatency\": 873.1, \"aws:responseDuration\": 0.4,"
                + " \"aws:runtimeOverhead\": 3.2, \"aws:extensionOverhead\": 0.0";
        assertThat(SCHEMA.violations(json(functionSegment.formatted(TRACE, "AWS::Lambda::Function", serviceKeys))))
                .isEmpty();
        // The same keys on any other segment, or another colon key on the function segment, are rejected.
        assertThat(SCHEMA.violations(json(functionSegment.formatted(TRACE, "AWS::Lambda", serviceKeys))))
                .isNotEmpty();
        assertThat(SCHEMA.violations(json(functionSegment.formatted(TRACE, "AWS::Lambda::Function",
                "\"aws:somethingElse\": 1")))).isNotEmpty();
    }

    @Test
    void exemptsOnlyApiGatewaysAnnotationKeysOnAStageSegment() throws Exception {
        String stageSegment = """
                {"name": "api/prod", "id": "0123456789abcdef", "trace_id": "%s", "start_time": 1.5, "end_time": 2.5,
                 "origin": "%s", "annotations": {%s}}
                """;
        String serviceKeys = "\"aws:api_id\": \"a1b2c3d4e5\", \"aws:api_stage\": \"prod\"";
        assertThat(SCHEMA.violations(json(stageSegment.formatted(TRACE, "AWS::ApiGateway::Stage", serviceKeys))))
                .isEmpty();
        // Lambda's keys on the stage, or the stage's on Lambda's function segment, are rejected.
        assertThat(SCHEMA.violations(json(stageSegment.formatted(TRACE, "AWS::Lambda::Function", serviceKeys))))
                .isNotEmpty();
        assertThat(SCHEMA.violations(json(stageSegment.formatted(TRACE, "AWS::ApiGateway::Stage",
                "\"aws:responseLatency\": 1.0")))).isNotEmpty();
    }

    /** A segment as X-Ray stores an OpenTelemetry SERVER span, with a client span nested in it. */
    private static final String CONVERTED = """
            {"name": "f", "id": "0123456789abcdef", "trace_id": "%s", "parent_id": "53995c3f42cd8ad8",
             "start_time": 1.5, "end_time": 2.5, "fault": false, "error": false, "throttle": false,
             "aws": {"span.kind": "SERVER", "xray": {"sdk": "%s", "sdk_version": "1.67.0"}},
             "annotations": {"span.kind": "SERVER", "%s": "f"},
             "metadata": {"service.name": "f", "thread.id": 1, "process.command_args": ["java"]},
             "subsegments": [{"name": "S3", "id": "1123456789abcdef", "start_time": 1.6, "end_time": 2.4,
               "namespace": "aws", "annotations": {"span.name": "S3.GetObject"},
               "metadata": {"rpc.method": "GetObject", "information": {"key": "value"}}}]}
            """;

    @Test
    void exemptsFlatMetadataAndDottedAnnotationKeysOnASegmentConvertedFromSpansAndWhatIsNestedInIt() throws Exception {
        assertThat(SCHEMA.violations(json(CONVERTED.formatted(TRACE, "opentelemetry for java", "aws.local.service"))))
                .isEmpty();
    }

    @Test
    void checksEverythingElseOnAConvertedSegmentAndExemptsNothingOnOthers() throws Exception {
        // Another character in an annotation key is still refused on a converted segment...
        assertThat(SCHEMA.violations(json(CONVERTED.formatted(TRACE, "opentelemetry for java", "aws-local-service"))))
                .isNotEmpty();
        // ...and a document an X-Ray SDK sent gets no exemption.
        assertThat(SCHEMA.violations(json(CONVERTED.formatted(TRACE, "X-Ray for Java", "aws.local.service"))))
                .isNotEmpty();
        assertThat(SCHEMA.violations(json(CONVERTED.formatted("1-5759e988", "opentelemetry for java", "span.name"))))
                .anyMatch(v -> v.contains("trace_id"));
    }

    @Test
    void acceptsAnIndependentSubsegmentWhoseNameHasASpace() throws Exception {
        assertThat(SCHEMA.violations(json("""
                {"type": "subsegment", "name": "Throwing exception", "id": "0123456789abcdef",
                 "trace_id": "%s", "parent_id": "53995c3f42cd8ad8", "start_time": 1.5, "end_time": 2.5,
                 "fault": true, "cause": {"exceptions": [{"id": "aaaaaaaaaaaaaaaa", "message": "Information"}]}}
                """.formatted(TRACE)))).isEmpty();
    }

    @Test
    void rejectsASegmentWithoutATraceIdOrWithAShortId() throws Exception {
        assertThat(SCHEMA.violations(json("""
                {"name": "f", "id": "0123", "start_time": 1.5}
                """))).anyMatch(v -> v.contains("trace_id")).anyMatch(v -> v.contains("id"));
    }

    @Test
    void rejectsAnIndependentSubsegmentWithoutItsParent() throws Exception {
        assertThat(SCHEMA.violations(json("""
                {"type": "subsegment", "name": "S3", "id": "0123456789abcdef", "trace_id": "%s", "start_time": 1.5}
                """.formatted(TRACE)))).singleElement().asString().contains("parent_id");
    }

    @Test
    void rejectsAnnotationsThatAreNotScalars() throws Exception {
        assertThat(SCHEMA.violations(json("""
                {"type": "subsegment", "name": "S3", "id": "0123456789abcdef", "trace_id": "%s",
                 "parent_id": "53995c3f42cd8ad8", "start_time": 1.5, "annotations": {"bad": {"nested": 1}}}
                """.formatted(TRACE)))).isNotEmpty();
    }

    @Test
    void rejectsASegmentNameWithCharactersXRayDoesNotAllow() throws Exception {
        assertThat(SCHEMA.violations(json("""
                {"name": "bad;name", "id": "0123456789abcdef", "trace_id": "%s", "start_time": 1.5}
                """.formatted(TRACE)))).anyMatch(v -> v.contains("name"));
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
