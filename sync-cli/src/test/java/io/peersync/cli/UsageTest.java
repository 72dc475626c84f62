package io.peersync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.daemon.lifecycle.DaemonOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UsageTest {
    @TempDir
    Path home;

    @Test
    void unknownOptionIsAUsageErrorOnOneLine() {
        CliRun run = CliRun.of("status", "--bogus", "--home", home.toString());

        assertEquals(2, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().contains("--bogus"));
    }

    @Test
    void everyCommandAndSubcommandAnswersHelp() {
        for (List<String> command : List.of(List.of("secret"), List.of("secret", "new"), List.of("folder"),
                List.of("folder", "add"), List.of("peer"), List.of("peer", "list"), List.of("status"),
                List.of("daemon"), List.of("versions"), List.of("restore"))) {
            List<String> args = new java.util.ArrayList<>(command);
            args.add("--help");
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), String.join(" ", args) + ": " + run.err());
            assertTrue(run.out().contains("Usage: peersync " + String.join(" ", command)), run.out());
        }
    }

    @Test
    void missingSubcommandIsAUsageError() {
        assertEquals(2, CliRun.of("folder").exitCode());
        assertEquals(2, CliRun.of().exitCode());
    }

    @Test
    void folderAddWithoutSecretIsAUsageError() {
        assertEquals(2, CliRun.of("folder", "add", home.toString(), "--home", home.toString()).exitCode());
    }

    @Test
    void peerAddRejectsAnAddressWithoutPort() {
        CliRun run = CliRun.of("peer", "add", "example.org", "--home", home.toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("HOST:PORT"), run.err());
    }

    @Test
    void daemonParsesItsOptionsIntoDaemonOptions() {
        CommandLine cli = Main.commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs("daemon", "--home", home.toString(),
                "--listen", "127.0.0.1:42001", "--api", "127.0.0.1:42101",
                "--peer", "127.0.0.1:42002", "--peer", "[::1]:42003", "--no-discovery");
        DaemonCommand daemon = (DaemonCommand) parsed.subcommand().commandSpec().userObject();

        DaemonOptions options = daemon.options(daemon.home.resolve());

        assertEquals(home.toAbsolutePath(), options.home());
        assertEquals(new InetSocketAddress("127.0.0.1", 42001), options.listen());
        assertEquals(new InetSocketAddress("127.0.0.1", 42101), options.api());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 42002), new InetSocketAddress("::1", 42003)),
                options.peers());
        assertNull(options.discovery(), "--no-discovery turns LAN discovery off");
    }

    @Test
    void daemonTakesADiscoveryAddress() {
        CommandLine cli = Main.commandLine();
        DaemonCommand daemon = (DaemonCommand) cli.parseArgs("daemon", "--discovery-address", "127.255.255.255:42027")
                .subcommand().commandSpec().userObject();

        assertEquals(new InetSocketAddress("127.255.255.255", 42027), daemon.options(home).discovery());
    }

    @Test
    void daemonDefaultsListenEverywhereAndApiOnLoopback() {
        CommandLine cli = Main.commandLine();
        DaemonCommand daemon = (DaemonCommand) cli.parseArgs("daemon").subcommand().commandSpec().userObject();

        DaemonOptions options = daemon.options(home);

        assertEquals(new InetSocketAddress("0.0.0.0", DaemonOptions.DEFAULT_LISTEN_PORT), options.listen());
        assertEquals(new InetSocketAddress("127.0.0.1", DaemonOptions.DEFAULT_API_PORT), options.api());
        assertTrue(options.peers().isEmpty());
        assertEquals(new InetSocketAddress("255.255.255.255", DaemonOptions.DEFAULT_DISCOVERY_PORT),
                options.discovery(), "LAN discovery is on, by IPv4 broadcast");
    }
}
