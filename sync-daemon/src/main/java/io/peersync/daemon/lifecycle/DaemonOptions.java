package io.peersync.daemon.lifecycle;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Command-line settings of one daemon run.
 *
 * @param discovery        where LAN announcements go (and whose port is listened on); null turns discovery off
 * @param health           where {@code /health} and {@code /metrics} are served without a token; null for nowhere
 * @param healthGrace      how long a synced folder may be out of sync and still be fit to serve
 */
public record DaemonOptions(Path home, InetSocketAddress listen, InetSocketAddress api,
                            List<InetSocketAddress> peers, InetSocketAddress discovery, InetSocketAddress health,
                            Duration healthGrace) {
    public static final Duration DEFAULT_HEALTH_GRACE = Duration.ofSeconds(30);

    public DaemonOptions(Path home, InetSocketAddress listen, InetSocketAddress api, List<InetSocketAddress> peers,
                         InetSocketAddress discovery) {
        this(home, listen, api, peers, discovery, null, DEFAULT_HEALTH_GRACE);
    }

    public static final int DEFAULT_LISTEN_PORT = 41001;
    public static final int DEFAULT_API_PORT = 41101;
    public static final int DEFAULT_DISCOVERY_PORT = 41027;
}
