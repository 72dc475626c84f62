package io.peersync.daemon.control;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/** Creates the daemon's HTTP listeners (control API, health and metrics) with the JDK's server. */
public final class LocalHttp {
    /** The JDK server's switch for TCP_NODELAY on accepted sockets; it is read once, when the first server starts. */
    static final String NODELAY = "sun.net.httpserver.nodelay";

    private LocalHttp() {
    }

    /**
     * An unstarted server bound to {@code bind}. Its sockets send at once (TCP_NODELAY): the JDK server writes a
     * response's head and body separately, and with Nagle's algorithm the body then waits for the client's delayed
     * acknowledgement, about 40 ms a request on Linux, a tenth of a CLI command's run and of a health check.
     */
    public static HttpServer create(InetSocketAddress bind, int backlog) throws IOException {
        System.setProperty(NODELAY, "true");
        return HttpServer.create(bind, backlog);
    }
}
