package io.peersync.cli;

import io.peersync.cli.client.ControlClient;
import io.peersync.daemon.control.PeerView;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code peersync peer}: the peers the daemon knows. */
@Command(name = "peer", description = "Add and list peers.",
        subcommands = {PeerCommand.Add.class, PeerCommand.ListPeers.class})
final class PeerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw Main.missingSubcommand(spec);
    }

    /** {@code peer add HOST:PORT}. */
    @Command(name = "add", description = "Add a static peer; the daemon keeps connecting to it, also after restarts.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        HomeOption home;
        @Parameters(paramLabel = "HOST:PORT", converter = HostPort.class, description = "The peer's listen address.")
        InetSocketAddress address;

        @Override
        public Integer call() throws Exception {
            PeerView peer = ControlClient.forHome(home.resolve()).addPeer(HostPort.format(address));
            PrintWriter out = spec.commandLine().getOut();
            out.println("Added peer " + peer.address() + ".");
            out.flush();
            return 0;
        }
    }

    /** {@code peer list [--json]}. */
    @Command(name = "list", description = "List peers and what each is connected to.")
    static final class ListPeers implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        HomeOption home;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            List<PeerView> peers = ControlClient.forHome(home.resolve()).peers();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, peers);
            } else if (peers.isEmpty()) {
                out.println("No peers (add one with: peersync peer add HOST:PORT).");
                out.flush();
            } else {
                Table table = new Table("ADDRESS", "NODE", "STATE", "SOURCE", "FOLDERS");
                for (PeerView p : peers) {
                    table.row(p.address(), p.node() == null ? "-" : p.node(),
                            p.connected() ? "connected" : "disconnected", p.isStatic() ? "static" : "learned",
                            p.folders() == null || p.folders().isEmpty() ? "-" : String.join(",", p.folders()));
                }
                table.print(out);
            }
            return 0;
        }
    }
}
