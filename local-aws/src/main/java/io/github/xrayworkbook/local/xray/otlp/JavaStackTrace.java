package io.github.xrayworkbook.local.xray.otlp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.xrayworkbook.local.xray.TraceHeader;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the {@code exception.stacktrace} text that OpenTelemetry's Java SDK records (the output of
 * {@code Throwable.printStackTrace}) into X-Ray exceptions: the thrown one with its stack frames,
 * then one per {@code Caused by:}, each naming the next as its {@code cause}. Suppressed
 * exceptions and {@code ... n more} lines are left out, as X-Ray leaves them out.
 */
final class JavaStackTrace {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String FRAME = "\tat ";
    private static final String CAUSED_BY = "Caused by: ";

    private JavaStackTrace() {
    }

    /**
     * @param thrown the exception as the event names it: {@code type}, {@code message} and {@code remote} set
     * @return the thrown exception, its stack filled in, followed by its causes
     */
    static List<ObjectNode> exceptions(ObjectNode thrown, String stacktrace) {
        List<ObjectNode> exceptions = new ArrayList<>(List.of(thrown));
        String[] lines = stacktrace.split("\r?\n");
        ObjectNode current = thrown;
        // The first line repeats the type and message the event already carries.
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith(FRAME) && line.endsWith(")") && line.indexOf('(') > 0) {
                stack(current).add(frame(line));
            } else if (line.startsWith(CAUSED_BY)) {
                ObjectNode cause = cause(line.substring(CAUSED_BY.length()), thrown.path("remote").asBoolean());
                current.put("cause", cause.path("id").asText());
                exceptions.add(cause);
                current = cause;
            }
        }
        return exceptions;
    }

    private static ArrayNode stack(ObjectNode exception) {
        return exception.has("stack") ? (ArrayNode) exception.get("stack") : exception.putArray("stack");
    }

    /** {@code \tat java.base/java.lang.Thread.run(Thread.java:833)} to path, line and label. */
    private static ObjectNode frame(String line) {
        int paren = line.indexOf('(');
        String label = line.substring(FRAME.length(), paren);
        // Drops a module or class loader name such as "java.base/" or "app//", but not the
        // "/0x..." of a hidden class such as a lambda's, which comes after a '$'.
        int dollar = label.indexOf('$');
        label = label.substring(label.lastIndexOf('/', dollar < 0 ? label.length() : dollar) + 1);
        String path = line.substring(paren + 1, line.length() - 1);
        int lineNumber = 0;
        int colon = path.lastIndexOf(':');
        if (colon >= 0) {
            try {
                lineNumber = Integer.parseInt(path.substring(colon + 1));
                path = path.substring(0, colon);
            } catch (NumberFormatException e) {
                // Not "File.java:123": keep the whole text as the path.
            }
        }
        return JSON.objectNode().put("path", path).put("line", lineNumber).put("label", label);
    }

    /** {@code java.io.IOException: the message} to an exception of that type and message. */
    private static ObjectNode cause(String text, boolean remote) {
        int colon = text.indexOf(": ");
        ObjectNode cause = JSON.objectNode().put("id", TraceHeader.newEntityId());
        if (colon < 0) {
            cause.put("type", text.strip());
        } else {
            cause.put("type", text.substring(0, colon)).put("message", text.substring(colon + 2));
        }
        return cause.put("remote", remote);
    }
}
