package io.github.xrayworkbook.step3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.entities.Subsegment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.xrayworkbook.local.junit.LocalAwsExtension;
import io.github.xrayworkbook.local.xray.SegmentDocument;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two ways to write step 3's subsegment, and what each really sends. The documents are kept in
 * target/book for the chapter to show.
 */
class SubsegmentStylesTest {

    @RegisterExtension
    static final LocalAwsExtension aws = new LocalAwsExtension();

    private static final Path BOOK = Path.of("target", "book");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void createSubsegmentRecordsTheException() throws IOException {
        TraceHeader trace = aws.beginInvocation(true);

        assertThatThrownBy(() ->
                // tag::create-subsegment[]
                AWSXRay.createSubsegment("Throwing exception", (Subsegment subsegment) -> {
                    subsegment.putAnnotation("very_important_annotation", "Very very important information");
                    throw new RuntimeException("Information");
                })
                // end::create-subsegment[]
        ).hasMessage("Information");

        JsonNode sent = onlyDocument(trace);
        assertThat(sent.path("fault").asBoolean()).isTrue();
        assertThat(sent.path("cause").path("exceptions").get(0).path("message").asText()).isEqualTo("Information");
        keep("create-subsegment.json", sent);
    }

    @Test
    void tryWithResourcesEndsTheSubsegmentBeforeAnyCatchSeesTheException() throws IOException {
        TraceHeader trace = aws.beginInvocation(true);

        assertThatThrownBy(() -> {
            // tag::try-with-resources[]
            try (Subsegment subsegment = AWSXRay.beginSubsegment("Throwing exception")) {
                subsegment.putAnnotation("very_important_annotation", "Very very important information");
                throw new RuntimeException("Information");
            }
            // end::try-with-resources[]
        }).hasMessage("Information");

        JsonNode sent = onlyDocument(trace);
        assertThat(sent.has("fault")).isFalse();
        assertThat(sent.has("cause")).isFalse();
        assertThat(sent.path("annotations").path("very_important_annotation").asText())
                .isEqualTo("Very very important information");
        keep("try-with-resources.json", sent);
    }

    @Test
    void theFunctionSegmentIsAReadOnlyFacade() {
        aws.beginInvocation(true);

        AWSXRay.createSubsegment("probe", (Subsegment subsegment) -> {
            assertThatThrownBy(() -> subsegment.getParentSegment().putAnnotation("key", "value"))
                    .hasMessage("FacadeSegments cannot be mutated.");
        });
    }

    private static JsonNode onlyDocument(TraceHeader trace) {
        List<SegmentDocument> sent = aws.documentsSent(trace);
        assertThat(sent).hasSize(1);
        return sent.get(0).json();
    }

    /** Keeps what the book shows: the fields that differ, with ids and times left out. */
    private static void keep(String name, JsonNode document) throws IOException {
        ObjectNode shown = JSON.createObjectNode();
        for (String field : List.of("name", "annotations", "fault", "cause")) {
            if (document.has(field)) {
                shown.set(field, document.get(field).deepCopy());
            }
        }
        if (shown.has("cause")) {
            ObjectNode cause = (ObjectNode) shown.get("cause");
            cause.remove("working_directory");
            for (JsonNode exception : cause.path("exceptions")) {
                ObjectNode trimmed = (ObjectNode) exception;
                trimmed.remove(List.of("id", "stack", "skipped", "truncated"));
            }
        }
        Files.createDirectories(BOOK);
        Files.writeString(BOOK.resolve(name), JSON.writeValueAsString(shown) + "\n");
    }
}
