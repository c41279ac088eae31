package io.github.xrayworkbook.local.xray.otlp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.xrayworkbook.local.xray.TraceHeader;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Optional;

/**
 * How a span ended, in X-Ray's terms: {@code fault}, {@code error} and {@code throttle}, and the
 * {@code cause} with the exceptions its {@code exception} events recorded. Mirrors makeCause in the
 * OpenTelemetry Collector's awsxray exporter (exporter/awsxrayexporter/internal/translator/cause.go):
 * an HTTP status decides where there is one (4xx error, 429 also throttle, 5xx fault), otherwise
 * an ERROR status is a fault.
 */
final class SpanCause {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String EXCEPTION_EVENT = "exception";

    private SpanCause() {
    }

    /** Writes the flags and the cause into the document. */
    static void write(Span span, SpanAttributes attributes, boolean javaStackTraces, ObjectNode document) {
        boolean failed = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
        Optional<Long> httpStatus = attributes.integer("http.status_code", "http.response.status_code");
        long code = httpStatus.orElse(0L);
        if (code >= 400 && code <= 499) {
            document.put("error", true);
            if (code == 429) {
                document.put("throttle", true);
            }
        } else if (code >= 500 && code <= 599 || failed) {
            document.put("fault", true);
        }

        ArrayNode exceptions = JSON.arrayNode();
        boolean remote = span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT
                || span.getKind() == Span.SpanKind.SPAN_KIND_PRODUCER;
        for (Span.Event event : span.getEventsList()) {
            if (EXCEPTION_EVENT.equals(event.getName())) {
                exceptions.addAll(exceptions(new SpanAttributes(event.getAttributesList()), remote, javaStackTraces));
            }
        }
        if (exceptions.isEmpty() && failed && !span.getStatus().getMessage().isEmpty()) {
            exceptions.add(JSON.objectNode().put("id", TraceHeader.newEntityId())
                    .put("message", span.getStatus().getMessage()));
        }
        if (!exceptions.isEmpty()) {
            document.putObject("cause").set("exceptions", exceptions);
        }
    }

    private static List<ObjectNode> exceptions(SpanAttributes event, boolean remote, boolean javaStackTraces) {
        ObjectNode thrown = JSON.objectNode().put("id", TraceHeader.newEntityId());
        event.string("exception.type").ifPresent(type -> thrown.put("type", type));
        event.string("exception.message").ifPresent(message -> thrown.put("message", message));
        thrown.put("remote", remote);
        Optional<String> stacktrace = event.string("exception.stacktrace");
        if (javaStackTraces && stacktrace.isPresent()) {
            return JavaStackTrace.exceptions(thrown, stacktrace.get());
        }
        return List.of(thrown);
    }
}
