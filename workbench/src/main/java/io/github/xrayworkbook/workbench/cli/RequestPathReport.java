package io.github.xrayworkbook.workbench.cli;

import io.github.xrayworkbook.workbench.run.LocalRequestPath;
import io.github.xrayworkbook.workbench.run.Step;
import io.github.xrayworkbook.workbench.runtime.Invocation;
import io.github.xrayworkbook.workbench.runtime.Outcome;
import io.github.xrayworkbook.workbench.runtime.RuntimeClient;
import io.github.xrayworkbook.workbench.trace.Trace;
import io.github.xrayworkbook.workbench.trace.TraceFiles;
import io.github.xrayworkbook.workbench.view.HtmlPage;
import io.github.xrayworkbook.workbench.view.MapSvg;
import io.github.xrayworkbook.workbench.view.ServiceMap;
import io.github.xrayworkbook.workbench.view.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What {@code run} prints and writes for a step with a REST API and a queue. */
final class RequestPathReport {

    private RequestPathReport() {
    }

    static int print(Step step, LocalRequestPath.Result result, PrintWriter out, PrintWriter err, Path outDir,
                     boolean quiet, boolean verbose, boolean colour, RuntimeClient.Mode mode) throws IOException {
        for (LocalRequestPath.Request request : result.requests()) {
            out.println(step.restApi().orElseThrow() + " answered " + request.exchange().status() + ": " + request.exchange().body());
            if (request.trace().isEmpty()) {
                out.println("Not sampled (the caller's header said Sampled=0): API Gateway, Lambda and the function"
                        + " record nothing, and X-Ray has no trace of this request");
            } else if (!quiet) {
                out.println("Trace " + request.trace().get().id() + " (API Gateway, then " + step.functionName() + ")");
                out.print(TextReport.render(request.trace().get(), colour));
            }
            out.println();
        }
        for (LocalRequestPath.Consumed consumed : result.consumed()) {
            var delivery = consumed.delivery();
            out.println(step.queueFunctionName() + " invoked with " + delivery.messages().size() + " message(s) ("
                    + delivery.messages().stream().map(m -> m.messageId() + ", receive " + m.receiveCount())
                            .collect(Collectors.joining("; ")) + "): " + describe(delivery.invocation().outcome()));
            out.println("New trace " + consumed.trace().id() + (consumed.linkedFrom().isEmpty()
                    ? ", linked to no other trace"
                    : ", linked from " + String.join(", ", consumed.linkedFrom()) + " through the queue"));
            if (!quiet) {
                out.print(TextReport.render(consumed.trace(), colour));
            }
            out.println();
        }
        result.warnings().forEach(out::println);
        List<Trace> traces = result.traces();
        ServiceMap map = new ServiceMap(traces);
        out.println("Map of the linked traces (~> is a link through the queue, not a call):");
        out.print(map.renderText());
        if (verbose) {
            out.println("API function log (" + result.apiFunctionLog() + "):");
            out.println(Files.readString(result.apiFunctionLog()));
            out.println("Queue function log (" + result.queueFunctionLog() + "):");
            out.println(Files.readString(result.queueFunctionLog()));
        }
        RunCommand.printRejections(out, result.rejected());
        // The API function's cold start, in the lines every step prints, for people and benchmarks alike.
        Optional<Invocation> first = result.requests().stream().flatMap(r -> r.invocation().stream()).findFirst();
        first.ifPresent(invocation -> RunCommand.printPhases(out, invocation));
        String coldStarts = first.filter(Invocation::coldStart).map(api -> String.format(Locale.ROOT,
                "; cold start %.0f ms (API function%s)", api.functionTime().toNanos() / 1e6,
                result.consumed().stream().map(c -> c.delivery().invocation()).filter(Invocation::coldStart).findFirst()
                        .map(queue -> String.format(Locale.ROOT, "; queue function %.0f ms", queue.functionTime().toNanos() / 1e6))
                        .orElse(""))).orElse("");
        long failedRequests = result.requests().stream().filter(r -> r.exchange().status() >= 300).count();
        long failedBatches = result.consumed().stream()
                .filter(c -> !(c.delivery().invocation().outcome() instanceof Outcome.Response)).count();
        out.println(String.format(Locale.ROOT, "%d request(s), %d failed; %d queue invocation(s), %d failed;"
                        + " %d message(s) in the dead-letter queue; %d trace(s)%s; runtime client %s",
                result.requests().size(), failedRequests, result.consumed().size(), failedBatches, result.deadLetters(),
                traces.size(), coldStarts, mode.name().toLowerCase(Locale.ROOT)));
        if (!traces.isEmpty()) {
            TraceFiles.write(traces, outDir.resolve("trace.json"));
            Files.writeString(outDir.resolve("map.svg"), MapSvg.render(map));
            HtmlPage.write(traces, outDir.resolve("trace.html"), step.shortName() + ": " + step.functionName()
                    + " and " + step.queueFunctionName());
            out.println("Wrote " + outDir.resolve("trace.json") + ", trace.html and map.svg");
        }
        if (result.invalidDocuments() > 0) {
            out.println("Warning: " + result.invalidDocuments() + " segment document(s) do not validate against AWS's schema");
        }
        if (failedRequests > 0) {
            err.println("workbench: the API answered " + failedRequests + " request(s) with an error (run with --verbose"
                    + " for the functions' logs)");
            return 1;
        }
        if (result.deadLetters() > 0 || failedBatches > 0) {
            err.println("workbench: " + step.queueFunctionName() + " failed on " + failedBatches + " batch(es); "
                    + (result.deadLetters() > 0 ? result.deadLetters() + " message(s) moved to the dead-letter queue after "
                    + LocalRequestPath.MAX_RECEIVE_COUNT + " receives" : "Lambda retried until it succeeded")
                    + " (run with --verbose for the functions' logs)");
            return 1;
        }
        return 0;
    }

    private static String describe(Outcome outcome) {
        if (outcome instanceof Outcome.Response) {
            return "succeeded";
        }
        if (outcome instanceof Outcome.FunctionError error) {
            return "failed, " + error.errorType() + ": " + error.errorMessage();
        }
        return "failed, " + outcome;
    }
}
