package io.github.xrayworkbook.workbench.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Traces in the shape {@code aws xray batch-get-traces} returns them:
 * {@code {"Traces": [{"Id", "Duration", "Segments": [{"Id", "Document"}]}]}}, where each
 * {@code Document} is a segment document serialised as a string.
 */
public final class TraceFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TraceFiles() {
    }

    public static void write(List<Trace> traces, Path file) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("Traces");
        for (Trace trace : traces) {
            ObjectNode node = array.addObject();
            node.put("Id", trace.id());
            node.put("Duration", Math.round(trace.duration() * 1000) / 1000.0);
            node.put("LimitExceeded", false);
            ArrayNode segments = node.putArray("Segments");
            for (JsonNode document : trace.documents()) {
                segments.addObject().put("Id", document.path("id").asText()).put("Document", document.toString());
            }
        }
        root.putArray("UnprocessedTraceIds");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a file written by {@link #write} or saved from {@code aws xray batch-get-traces}.
     *
     * @throws IllegalArgumentException with a one-line reason when the file is missing, is not
     *         JSON, or is JSON of another shape
     */
    public static List<Trace> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + " does not exist");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON (truncated?): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
        }
        if (root == null || !root.path("Traces").isArray()) {
            throw new IllegalArgumentException(file + " is not batch-get-traces output: it has no \"Traces\" array"
                    + " (save it with: aws xray batch-get-traces --trace-ids ID > FILE)");
        }
        List<Trace> traces = new ArrayList<>();
        for (JsonNode trace : root.path("Traces")) {
            List<JsonNode> documents = new ArrayList<>();
            for (JsonNode segment : trace.path("Segments")) {
                documents.add(parseDocument(file, segment.path("Document")));
            }
            if (documents.isEmpty()) {
                throw new IllegalArgumentException(file + ": trace " + trace.path("Id").asText("?") + " has no segments");
            }
            traces.add(new Trace(trace.path("Id").asText(), documents));
        }
        if (traces.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no traces");
        }
        return traces;
    }

    private static JsonNode parseDocument(Path file, JsonNode document) {
        try {
            JsonNode parsed = document.isTextual() ? JSON.readTree(document.asText()) : document;
            if (parsed == null || !parsed.isObject() || !parsed.has("id") || !parsed.has("start_time")) {
                throw new IllegalArgumentException(file + " has a segment Document that is not a segment document");
            }
            return parsed;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " has a segment Document that is not JSON: " + e.getOriginalMessage());
        }
    }
}
