package io.peersync.cli;

import io.peersync.cli.client.ControlRequestException;
import io.peersync.cli.client.DaemonUnreachableException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code peersync} command: runs the daemon or talks to it. */
@Command(name = "peersync", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        scope = picocli.CommandLine.ScopeType.INHERIT,
        description = "Peer-to-peer folder sync.",
        subcommands = {DaemonCommand.class, SecretCommand.class, FolderCommand.class, PeerCommand.class,
                StatusCommand.class, EventsCommand.class, VersionsCommand.class, RestoreCommand.class, HelpCommand.class})
public final class Main implements Callable<Integer> {
    /** Exit code when the operation failed; the message is on stderr. */
    public static final int FAILED = 1;
    /** Exit code for a command line that does not parse. */
    public static final int USAGE = 2;
    /** Exit code when no daemon answers for the home directory. */
    public static final int DAEMON_UNREACHABLE = 3;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with peersync's error handling: one sentence on stderr and the contract's exit codes. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handleFailure);
        cli.setParameterExceptionHandler(Main::handleUsageError);
        return cli;
    }

    @Override
    public Integer call() {
        throw missingSubcommand(spec);
    }

    static ParameterException missingSubcommand(CommandSpec spec) {
        return new ParameterException(spec.commandLine(), "Missing command: one of "
                + String.join(", ", spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList()));
    }

    private static int handleFailure(Exception failure, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (failure instanceof DaemonUnreachableException) {
            err.println(failure.getMessage());
            return DAEMON_UNREACHABLE;
        }
        if (failure instanceof ControlRequestException || failure instanceof CliFailure) {
            err.println(failure.getMessage());
        } else {
            // A bug, not a user error: still no stack trace on the terminal.
            err.println(cli.getCommandSpec().qualifiedName() + " failed unexpectedly: " + failure
                    + " (please report this).");
        }
        err.flush();
        return FAILED;
    }

    private static int handleUsageError(ParameterException problem, String[] args) {
        CommandLine cli = problem.getCommandLine();
        PrintWriter err = cli.getErr();
        String message = problem.getMessage().strip();
        err.println(message + (message.endsWith(".") ? "" : ".") + " See '"
                + cli.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return USAGE;
    }

    /** The version from the jar's manifest when packaged. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"peersync " + (version == null ? "(development build)" : version)};
        }
    }
}
