package io.peersync.daemon.lifecycle;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/** Command-line settings of one daemon run. */
public record DaemonOptions(Path home, InetSocketAddress listen, InetSocketAddress api,
                            List<InetSocketAddress> peers, boolean discovery) {
    public static final int DEFAULT_LISTEN_PORT = 41001;
    public static final int DEFAULT_API_PORT = 41101;
}
