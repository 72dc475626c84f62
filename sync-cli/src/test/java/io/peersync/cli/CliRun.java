package io.peersync.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine;

/** One in-process run of the CLI with its stdout, stderr and exit code. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        return of(cli -> { }, args);
    }

    /** Runs with {@code prepare} applied to the command line first, e.g. to tune a subcommand. */
    static CliRun of(Consumer<CommandLine> prepare, String... args) {
        CommandLine cli = Main.commandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        prepare.accept(cli);
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}
