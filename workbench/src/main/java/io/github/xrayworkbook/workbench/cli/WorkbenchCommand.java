package io.github.xrayworkbook.workbench.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code workbench run step-N} and {@code workbench view FILE}. */
@Command(name = "workbench", mixinStandardHelpOptions = true,
        description = "Runs a step of the X-Ray Lambda Workbook locally and shows its trace.",
        subcommands = {RunCommand.class, ViewCommand.class})
public final class WorkbenchCommand implements Runnable {

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Say what to do: run step-N, or view FILE");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line; bad input and failures end in one line on {@code err}. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new WorkbenchCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            boolean verbose = parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose");
            if (verbose) {
                exception.printStackTrace(err);
            }
            err.println("workbench: " + exception.getMessage());
            return 2;
        });
        commandLine.setParameterExceptionHandler((exception, args1) -> {
            err.println("workbench: " + exception.getMessage() + " (see --help)");
            return 2;
        });
        try {
            return commandLine.execute(args);
        } finally {
            // print() does not flush an auto-flushing PrintWriter: without this, a view piped to
            // a file or another program would print nothing.
            out.flush();
            err.flush();
        }
    }
}
