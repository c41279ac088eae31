package io.github.xrayworkbook.local.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.github.xrayworkbook.local.xray.otlp.SpanSegments;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates segment documents against AWS's published schema
 * ({@code xray-segmentdocument-schema-v1.0.0.json}, draft-04).
 *
 * <p>The schema's top level describes a segment. An independent subsegment (one sent on its own,
 * with {@code "type": "subsegment"}) is checked against the schema's own {@code subsegment}
 * definition instead, plus the two fields that make it independent: {@code trace_id} and
 * {@code parent_id}, which the definition leaves out because a nested subsegment inherits them.
 *
 * <p>The schema describes what clients send with {@code PutTraceSegments}: annotation keys of
 * {@code [a-zA-Z0-9_]} only, and every metadata value an object (a namespace). Two kinds of
 * documents that AWS's own services write, and no client sends, break those two rules in stored
 * traces, and are the two named exceptions:
 *
 * <ol>
 *   <li>The Lambda service's {@code AWS::Lambda::Function} segment, with four annotations whose
 *       keys hold a colon ({@link #LAMBDA_SERVICE_ANNOTATIONS}), and API Gateway's
 *       {@code AWS::ApiGateway::Stage} segment, with two ({@link #API_GATEWAY_STAGE_ANNOTATIONS}):
 *       on each of those segments, its service's keys only are exempt.</li>
 *   <li>A segment X-Ray converted from an OpenTelemetry span, known by its {@code aws.xray.sdk}
 *       ({@code opentelemetry for LANGUAGE}), and the subsegments nested in it: X-Ray stores their
 *       metadata flat (one key per attribute, whatever its type) and keeps the dots in annotation
 *       keys ({@code span.kind}). On those documents, metadata values need not be objects and
 *       annotation keys may hold dots; every other rule applies.</li>
 * </ol>
 *
 * Everything an SDK sends is checked as it is.
 */
public final class SegmentDocumentSchema {

    public static final String RESOURCE = "xray-segmentdocument-schema-v1.0.0.json";

    private static final Pattern TRACE_ID = Pattern.compile("1-[0-9a-f]{8}-[0-9a-f]{24}");
    private static final Pattern ENTITY_ID = Pattern.compile("[0-9a-f]{16}");

    /** The annotation keys the Lambda service writes on the function segment, as X-Ray stores them. */
    public static final Set<String> LAMBDA_SERVICE_ANNOTATIONS = Set.of(
            "aws:responseLatency", "aws:responseDuration", "aws:runtimeOverhead", "aws:extensionOverhead");

    /** The annotation keys API Gateway writes on a REST API stage's segment, as X-Ray stores them. */
    public static final Set<String> API_GATEWAY_STAGE_ANNOTATIONS = Set.of("aws:api_id", "aws:api_stage");

    private static final Map<String, Set<String>> SERVICE_ANNOTATIONS = Map.of(
            "AWS::Lambda::Function", LAMBDA_SERVICE_ANNOTATIONS,
            "AWS::ApiGateway::Stage", API_GATEWAY_STAGE_ANNOTATIONS);

    private final JsonSchema segment;
    private final JsonSchema subsegment;

    private SegmentDocumentSchema(JsonNode schema) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        this.segment = factory.getSchema(schema);
        ObjectNode subsegmentRoot = schema.deepCopy();
        subsegmentRoot.remove(List.of("properties", "required", "type"));
        subsegmentRoot.put("$ref", "#/definitions/subsegment");
        this.subsegment = factory.getSchema(subsegmentRoot);
    }

    /** Loads the schema this module ships, a verbatim copy of the one AWS publishes. */
    public static SegmentDocumentSchema load() {
        try (InputStream in = SegmentDocumentSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new SegmentDocumentSchema(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reasons the document is invalid; empty when it is valid. */
    public List<String> violations(JsonNode document) {
        Set<String> serviceKeys = SERVICE_ANNOTATIONS.get(document.path("origin").asText());
        if (serviceKeys != null && document.path("annotations").isObject()) {
            ObjectNode withoutServiceKeys = document.deepCopy();
            ((ObjectNode) withoutServiceKeys.get("annotations")).remove(serviceKeys);
            document = withoutServiceKeys;
        }
        if (isConvertedFromSpans(document)) {
            ObjectNode asAClientWouldSendIt = document.deepCopy();
            withoutConversionForms(asAClientWouldSendIt);
            document = asAClientWouldSendIt;
        }
        List<String> violations = new ArrayList<>();
        boolean independentSubsegment = "subsegment".equals(document.path("type").asText());
        JsonSchema schema = independentSubsegment ? subsegment : segment;
        for (ValidationMessage message : schema.validate(document)) {
            violations.add(message.getMessage());
        }
        if (independentSubsegment) {
            requireMatch(document, "trace_id", TRACE_ID, violations);
            requireMatch(document, "parent_id", ENTITY_ID, violations);
        }
        return violations;
    }

    /** True for a segment that X-Ray's conversion of OpenTelemetry spans wrote. */
    public static boolean isConvertedFromSpans(JsonNode document) {
        return !"subsegment".equals(document.path("type").asText())
                && document.path("aws").path("xray").path("sdk").asText().startsWith(SpanSegments.SDK_PREFIX);
    }

    /**
     * Takes out what the second exception allows, in the document and every subsegment nested in it:
     * metadata values that are not objects, and the dots of annotation keys.
     */
    private static void withoutConversionForms(ObjectNode entity) {
        if (entity.get("metadata") instanceof ObjectNode metadata) {
            List<String> flat = new ArrayList<>();
            metadata.fields().forEachRemaining(field -> {
                if (!field.getValue().isObject()) {
                    flat.add(field.getKey());
                }
            });
            metadata.remove(flat);
        }
        if (entity.get("annotations") instanceof ObjectNode annotations) {
            ObjectNode undotted = annotations.objectNode();
            annotations.fields().forEachRemaining(field -> undotted.set(field.getKey().replace('.', '_'), field.getValue()));
            entity.set("annotations", undotted);
        }
        for (JsonNode child : entity.path("subsegments")) {
            if (child instanceof ObjectNode subsegment) {
                withoutConversionForms(subsegment);
            }
        }
    }

    private static void requireMatch(JsonNode document, String field, Pattern pattern, List<String> violations) {
        JsonNode value = document.get(field);
        if (value == null || !value.isTextual() || !pattern.matcher(value.asText()).matches()) {
            violations.add("$." + field + ": an independent subsegment needs a " + field
                    + " matching " + pattern.pattern());
        }
    }
}
