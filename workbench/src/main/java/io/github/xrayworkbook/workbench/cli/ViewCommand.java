package io.github.xrayworkbook.workbench.cli;

import io.github.xrayworkbook.workbench.trace.Trace;
import io.github.xrayworkbook.workbench.trace.TraceFiles;
import io.github.xrayworkbook.workbench.view.HtmlPage;
import io.github.xrayworkbook.workbench.view.TextReport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "view", mixinStandardHelpOptions = true,
        description = "Shows a trace saved by 'run' (trace.json) or by 'aws xray batch-get-traces'.")
final class ViewCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "batch-get-traces JSON")
    Path file;

    @Option(names = "--html", paramLabel = "FILE", description = "also write the trace as one HTML page")
    Path html;

    @Option(names = "--color", description = "auto, always or never (default: ${DEFAULT-VALUE})", defaultValue = "auto")
    String color;

    @Option(names = "--verbose", description = "print stack traces of failures")
    boolean verbose;

    @Override
    public Integer call() {
        List<Trace> traces = TraceFiles.read(file);
        for (Trace trace : traces) {
            spec.commandLine().getOut().print(TextReport.render(trace, Terminal.colour(color)));
        }
        if (html != null) {
            HtmlPage.write(traces, html, "Trace from " + file.getFileName());
            spec.commandLine().getOut().println("HTML: " + html);
        }
        return 0;
    }
}
