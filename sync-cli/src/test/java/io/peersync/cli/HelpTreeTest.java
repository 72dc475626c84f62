package io.peersync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpTreeTest {
    @Test
    void everyCommandInTheTreeAnswersHelp() {
        List<List<String>> commands = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), commands);
        assertTrue(commands.size() > 15, "walked the whole tree: " + commands);

        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            CliRun run = CliRun.of(args.toArray(String[]::new));
            String line = String.join(" ", args);
            assertEquals(0, run.exitCode(), line + ": " + run.err());
            assertTrue(run.out().contains("Usage: " + String.join(" ", prepend("peersync", command))),
                    line + ": " + run.out());
            assertEquals("", run.err(), line);
        }
    }

    @Test
    void aCommandRunInAPartialTreeParsesAndPrintsAsInTheWholeTree() {
        List<List<String>> commands = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), commands);
        for (List<String> command : commands) {
            if (command.isEmpty()) {
                continue;
            }
            String[] args = command.toArray(String[]::new);
            CommandLine whole = find(Main.commandLine(), command);
            CommandLine partial = find(Main.commandLine(args), command);
            assertEquals(whole.getUsageMessage(CommandLine.Help.Ansi.OFF),
                    partial.getUsageMessage(CommandLine.Help.Ansi.OFF), String.join(" ", command));
            assertEquals(whole.getCommandSpec().qualifiedName(), partial.getCommandSpec().qualifiedName());
        }
        assertEquals(1, Main.commandLine(new String[] {"status"}).getSubcommands().size(),
                "only the command that runs is built");
        assertEquals(Main.commandLine().getSubcommands().keySet(),
                Main.commandLine(new String[] {"--help"}).getSubcommands().keySet(), "top-level help lists them all");
    }

    private static CommandLine find(CommandLine root, List<String> path) {
        CommandLine cli = root;
        for (String name : path) {
            cli = cli.getSubcommands().get(name);
        }
        return cli;
    }

    @Test
    void versionNamesPeersyncAndExitsZero() {
        CliRun run = CliRun.of("--version");

        assertEquals(0, run.exitCode());
        assertEquals(1, run.outLines().size(), run.out());
        assertTrue(run.out().startsWith("peersync "), run.out());
        // Tests run from classes, not the shaded jar: no manifest, so the fallback says so.
        String version = Main.class.getPackage().getImplementationVersion();
        assertTrue(run.out().contains(version == null ? "(development build)" : version), run.out());
        assertFalse(run.out().contains("null"), run.out());
    }

    private static void collect(CommandLine cli, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        cli.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandName())) {
                return; // an alias of a command already walked
            }
            List<String> next = new ArrayList<>(path);
            next.add(name);
            collect(sub, next, into);
        });
    }

    private static List<String> prepend(String head, List<String> tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(tail);
        return all;
    }
}
