package io.peersync.cli;

import io.peersync.cli.client.ControlClient;
import io.peersync.cli.client.ControlRequestException;
import io.peersync.cli.client.DaemonUnreachableException;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
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
        description = "Peer-to-peer folder sync.")
public final class Main implements Callable<Integer> {
    /**
     * The top-level commands, in the order help lists them. Each is made only when needed: picocli reads every
     * command's annotations when it is added, which was most of a short CLI run's time.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();
    /** The commands that send a request to the daemon. */
    private static final Set<String> CLIENT_COMMANDS =
            Set.of("folder", "peer", "status", "events", "versions", "restore");
    /** Exit code when the operation failed; the message is on stderr. */
    public static final int FAILED = 1;
    /** Exit code for a command line that does not parse. */
    public static final int USAGE = 2;
    /** Exit code when no daemon answers for the home directory. */
    public static final int DAEMON_UNREACHABLE = 3;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0 && CLIENT_COMMANDS.contains(args[0])) {
            ControlClient.prepareInBackground();
        }
        System.exit(commandLine(args).execute(args));
    }

    /**
     * The whole command tree with peersync's error handling: one sentence on stderr and the contract's exit codes.
     */
    public static CommandLine commandLine() {
        return commandLine(COMMANDS.keySet());
    }

    /**
     * The command line to run {@code args}: when they start with a command's name, the tree holds that command
     * only (what it parses and prints is the same as in the whole tree); otherwise (top-level help, a typo, the
     * {@code help} command) the whole tree; for {@code --version} alone, none.
     */
    public static CommandLine commandLine(String[] args) {
        if (args.length > 0 && COMMANDS.containsKey(args[0]) && !args[0].equals("help")) {
            return commandLine(Set.of(args[0]));
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return commandLine(Set.of());
        }
        return commandLine();
    }

    private static CommandLine commandLine(Set<String> names) {
        CommandLine cli = new CommandLine(new Main());
        COMMANDS.forEach((name, command) -> {
            if (names.contains(name)) {
                cli.addSubcommand(name, command.get());
            }
        });
        cli.setExecutionExceptionHandler(Main::handleFailure);
        cli.setParameterExceptionHandler(Main::handleUsageError);
        return cli;
    }

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("daemon", DaemonCommand::new);
        commands.put("secret", SecretCommand::new);
        commands.put("folder", FolderCommand::new);
        commands.put("peer", PeerCommand::new);
        commands.put("status", StatusCommand::new);
        commands.put("events", EventsCommand::new);
        commands.put("versions", VersionsCommand::new);
        commands.put("restore", RestoreCommand::new);
        commands.put("help", HelpCommand::new);
        return Collections.unmodifiableMap(commands);
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
