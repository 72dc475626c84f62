package io.peersync.daemon.net;

import io.peersync.protocol.secret.NodeIdentity;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/** Starts in-process {@link PeerNetwork}s on 127.0.0.1, each node with its own home under one temp directory. */
final class LoopbackNodes implements AutoCloseable {
    private final Path homes;
    private final Map<String, TlsContexts> tls = new ConcurrentHashMap<>();
    private final List<PeerNetwork> started = new ArrayList<>();

    LoopbackNodes(Path homes) {
        this.homes = homes;
    }

    /** The node's identity, created in its home on first use and loaded from there afterwards. */
    NodeIdentity identity(String name) {
        return NodeIdentity.loadOrCreate(homes.resolve(name));
    }

    TlsContexts tls(String name) {
        return tls.computeIfAbsent(name, n -> {
            try {
                return new TlsContexts(identity(n));
            } catch (SSLException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Makes node {@code name} use the JDK's TLS, as a node without netty-tcnative would; call before start. */
    void useJdkTls(String name) throws SSLException {
        tls.put(name, new TlsContexts(identity(name), io.netty.handler.ssl.SslProvider.JDK));
    }

    /** Starts node {@code name} on an OS-chosen free port. */
    PeerNetwork start(String name, ConnectionListener listener) throws InterruptedException {
        return start(name, 0, listener);
    }

    PeerNetwork start(String name, int port, ConnectionListener listener) throws InterruptedException {
        return start(name, port, listener, Duration.ofMillis(250));
    }

    PeerNetwork start(String name, int port, ConnectionListener listener, Duration redialBase)
            throws InterruptedException {
        PeerNetwork network = new PeerNetwork(identity(name).nodeId(), tls(name),
                new InetSocketAddress("127.0.0.1", port), listener, redialBase);
        started.add(network);
        network.start();
        return network;
    }

    static String address(PeerNetwork network) {
        return "127.0.0.1:" + network.listenPort();
    }

    @Override
    public void close() {
        // Closing twice is harmless, so networks a test already closed need no bookkeeping.
        started.forEach(PeerNetwork::close);
    }
}
