package io.peersync.cli;

import io.peersync.daemon.lifecycle.Daemon;
import io.peersync.daemon.lifecycle.DaemonOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code peersync daemon}: runs the sync daemon in the foreground until SIGTERM or Ctrl-C. */
@Command(name = "daemon", description = "Run the sync daemon in the foreground; stops cleanly on SIGTERM or Ctrl-C.")
final class DaemonCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Mixin
    HomeOption home;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = HostPort.class,
            defaultValue = "0.0.0.0:" + DaemonOptions.DEFAULT_LISTEN_PORT,
            description = "Address for peer connections (default: ${DEFAULT-VALUE}).")
    InetSocketAddress listen;

    @Option(names = "--api", paramLabel = "HOST:PORT", converter = HostPort.class,
            defaultValue = "127.0.0.1:" + DaemonOptions.DEFAULT_API_PORT,
            description = "Address of the local control API (default: ${DEFAULT-VALUE}).")
    InetSocketAddress api;

    @Option(names = "--peer", paramLabel = "HOST:PORT", converter = HostPort.class,
            description = "A static peer to connect to; repeatable.")
    List<InetSocketAddress> peers = new ArrayList<>();

    @Option(names = "--no-discovery", description = "Do not announce or look for peers on the LAN.")
    boolean noDiscovery;

    @Option(names = "--discovery-address", paramLabel = "HOST:PORT", converter = HostPort.class,
            defaultValue = "255.255.255.255:" + DaemonOptions.DEFAULT_DISCOVERY_PORT,
            description = "Where LAN announcements are broadcast; its port is also listened on "
                    + "(default: ${DEFAULT-VALUE}).")
    InetSocketAddress discoveryAddress;

    @Option(names = "--health", paramLabel = "HOST:PORT", converter = HostPort.class,
            description = "Serve GET /health (200 when every folder is fit to serve, 503 otherwise) and GET /metrics "
                    + "(Prometheus) here, without a token, for a load balancer and monitoring. Off by default.")
    InetSocketAddress health;

    @Option(names = "--health-grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long a synced folder may be behind its peers and still be fit to serve "
                    + "(default: ${DEFAULT-VALUE}).")
    long healthGraceSeconds;

    @Override
    public Integer call() {
        Path resolvedHome = home.resolve();
        DaemonLogging.configure(resolvedHome);
        return Daemon.run(options(resolvedHome));
    }

    DaemonOptions options(Path resolvedHome) {
        if (healthGraceSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--health-grace must not be negative");
        }
        return new DaemonOptions(resolvedHome, listen, api, List.copyOf(peers), noDiscovery ? null : discoveryAddress,
                health, java.time.Duration.ofSeconds(healthGraceSeconds));
    }
}
