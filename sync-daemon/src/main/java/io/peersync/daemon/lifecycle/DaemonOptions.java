package io.peersync.daemon.lifecycle;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Command-line settings of one daemon run.
 *
 * @param discovery        where LAN announcements go (and whose port is listened on); null turns discovery off
 */
public record DaemonOptions(Path home, InetSocketAddress listen, InetSocketAddress api,
                            List<InetSocketAddress> peers, InetSocketAddress discovery) {
    public static final int DEFAULT_LISTEN_PORT = 41001;
    public static final int DEFAULT_API_PORT = 41101;
    public static final int DEFAULT_DISCOVERY_PORT = 41027;
}
