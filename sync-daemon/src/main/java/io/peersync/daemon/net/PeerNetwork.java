package io.peersync.daemon.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.wire.FrameCodec;
import io.peersync.protocol.wire.Limits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's connections: listens for peers, dials known peer addresses with backoff, and keeps at most one
 * connection per remote node.
 */
public final class PeerNetwork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerNetwork.class);
    static final Duration PING_AFTER = Duration.ofSeconds(10);
    static final Duration DEAD_AFTER = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CHECK_CONNECTED = Duration.ofSeconds(5);
    private static final int MAX_LEARNED = 256;
    static final String TRAFFIC = "traffic";
    /** Peers whose past traffic is remembered for metrics once disconnected; the oldest is forgotten first. */
    private static final int MAX_TRAFFIC_PEERS = 1024;
    /** Attempts without a connection after which a learned (not static) address is dropped; about a minute. */
    static final int MAX_LEARNED_FAILURES = 8;

    private final NodeId self;
    private final TlsContexts tls;
    private final InetSocketAddress listen;
    private final ConnectionListener listener;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> clientChannel;
    private final Map<NodeId, PeerConnection> connections = new ConcurrentHashMap<>();
    /** Addresses we dial, with what we learned about each. */
    private final Map<String, Dialer> dialers = new ConcurrentHashMap<>();
    private final Set<String> selfAddresses = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** Wire bytes of closed connections per peer, {in, out}; access synchronized on the map. */
    private final Map<NodeId, long[]> pastTraffic = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, long[]> eldest) {
            return size() > MAX_TRAFFIC_PEERS;
        }
    };
    private final Duration redialBase;
    private Channel server;

    public PeerNetwork(NodeId self, TlsContexts tls, InetSocketAddress listen, ConnectionListener listener) {
        this(self, tls, listen, listener, Duration.ofMillis(250));
    }

    /** {@code redialBase}: the first backoff after a failed dial (tests shorten it). */
    PeerNetwork(NodeId self, TlsContexts tls, InetSocketAddress listen, ConnectionListener listener,
                Duration redialBase) {
        this.redialBase = redialBase;
        this.self = self;
        this.tls = tls;
        this.listen = listen;
        this.listener = listener;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(2, io);
        this.serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.clientChannel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Binds the listening socket; throws if the address is taken. */
    public void start() throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(serverChannel)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer(tls.server(), false, null))
                .bind(listen).sync().channel();
        log.info("Listening for peers on {}", hostPort(listen.getHostString(), listenPort()));
    }

    private ChannelInitializer<SocketChannel> initializer(SslContext ssl, boolean outbound, String address) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                // Counts bytes on the wire (TLS included) for the per-peer metrics; it limits nothing.
                ch.pipeline().addLast(TRAFFIC, new ChannelTrafficShapingHandler(0, 0, 1000));
                ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                ch.pipeline().addLast("idle", new IdleStateHandler((int) DEAD_AFTER.toSeconds(), (int) PING_AFTER.toSeconds(), 0));
                FrameCodec.install(ch.pipeline());
                ch.pipeline().addLast("peer", new ConnectionHandler(PeerNetwork.this, outbound, address));
            }
        };
    }

    public NodeId self() {
        return self;
    }

    public int listenPort() {
        return server != null ? ((InetSocketAddress) server.localAddress()).getPort() : listen.getPort();
    }

    /** The host the listening socket is bound to, as given. */
    public String listenHost() {
        return listen.getHostString();
    }

    ConnectionListener listener() {
        return listener;
    }

    /** Starts dialing {@code address} (host:port) and keeps a connection to it. */
    public void addPeer(String address, boolean isStatic) {
        if (closed || selfAddresses.contains(address)) {
            return;
        }
        Dialer fresh = new Dialer(address, isStatic);
        Dialer existing = dialers.putIfAbsent(address, fresh);
        if (existing == null) {
            group.next().execute(fresh::dial);
        } else if (isStatic) {
            existing.isStatic = true;
        }
    }

    /** Addresses a folder's member told us about; dialed like static peers but not persisted. */
    public void learn(List<String> addresses) {
        for (String a : addresses) {
            if (dialers.size() >= MAX_LEARNED) {
                return;
            }
            if (parse(a).isPresent() && !isConnectedAt(a)) {
                addPeer(a, false);
            }
        }
    }

    /**
     * A node found on the LAN at {@code address}: dialed like a gossiped address, unless we are connected to it
     * already or know too many addresses.
     */
    public void discovered(NodeId node, String address) {
        if (connection(node).isPresent() || dialers.containsKey(address) || dialers.size() >= MAX_LEARNED
                || parse(address).isEmpty()) {
            return;
        }
        log.info("Found {} at {} on the local network", node.shortForm(), address);
        addPeer(address, false);
    }

    void markSelf(String address) {
        if (address != null) {
            selfAddresses.add(address);
            dialers.remove(address);
        }
    }

    /** Registers a fresh connection; false when a better connection to that node already exists. */
    synchronized boolean register(PeerConnection connection) {
        PeerConnection existing = connections.get(connection.remote());
        if (existing != null && existing.isActive()) {
            // Both ends apply the same rule: keep the connection dialed by the lower node id.
            boolean keepNew = connection.dialer().compareTo(existing.dialer()) < 0;
            if (!keepNew) {
                Dialer refused = dialers.get(connection.address());
                if (refused != null) {
                    // That address is the same node: wait while it is connected instead of redialing into refusals.
                    refused.node = connection.remote();
                }
                return false;
            }
            connections.put(connection.remote(), connection);
            existing.close("duplicate connection");
            // It is no longer in the map, so unregister will not report it: its folders forget it now.
            listener.onDisconnected(existing);
        } else {
            connections.put(connection.remote(), connection);
        }
        Dialer dialer = dialers.get(connection.address());
        if (dialer != null) {
            dialer.node = connection.remote();
            dialer.backoff.reset();
            dialer.failures = 0;
        }
        log.info("Connected to {} ({})", connection.remote().shortForm(), connection.address());
        listener.onConnected(connection);
        return true;
    }

    void unregister(PeerConnection connection) {
        boolean removed = connections.remove(connection.remote(), connection);
        synchronized (pastTraffic) {
            long[] past = pastTraffic.computeIfAbsent(connection.remote(), n -> new long[2]);
            past[0] += connection.wireBytesIn();
            past[1] += connection.wireBytesOut();
        }
        if (removed) {
            log.info("Disconnected from {} ({})", connection.remote().shortForm(), connection.address());
            listener.onDisconnected(connection);
        }
    }

    public Optional<PeerConnection> connection(NodeId node) {
        PeerConnection c = connections.get(node);
        return c != null && c.isActive() ? Optional.of(c) : Optional.empty();
    }

    public Collection<PeerConnection> connections() {
        return List.copyOf(connections.values());
    }

    /** Every address we dial or know, with the node last seen there. */
    public List<KnownPeer> knownPeers() {
        List<KnownPeer> out = new ArrayList<>();
        dialers.values().forEach(d -> out.add(new KnownPeer(d.address, d.node, d.node != null
                && connection(d.node).isPresent(), d.isStatic)));
        for (PeerConnection c : connections.values()) {
            if (!dialers.containsKey(c.address())) {
                out.add(new KnownPeer(c.address(), c.remote(), c.isActive(), false));
            }
        }
        return out;
    }

    /**
     * Bytes on the wire to and from each peer node seen since start (at most {@value #MAX_TRAFFIC_PEERS}), closed
     * connections included, and whether it is connected now.
     */
    public List<PeerTraffic> traffic() {
        Map<NodeId, PeerTraffic> out = new java.util.HashMap<>();
        synchronized (pastTraffic) {
            pastTraffic.forEach((node, t) -> out.put(node, new PeerTraffic(node, false, t[0], t[1])));
        }
        for (PeerConnection c : connections.values()) {
            PeerTraffic past = out.get(c.remote());
            long in = c.wireBytesIn() + (past == null ? 0 : past.bytesIn());
            long outBytes = c.wireBytesOut() + (past == null ? 0 : past.bytesOut());
            out.put(c.remote(), new PeerTraffic(c.remote(), c.isActive(), in, outBytes));
        }
        return List.copyOf(out.values());
    }

    /** Wire bytes exchanged with one peer node since the daemon started. */
    public record PeerTraffic(NodeId node, boolean connected, long bytesIn, long bytesOut) {
    }

    /** A peer address and what we know of it. */
    public record KnownPeer(String address, NodeId node, boolean connected, boolean isStatic) {
    }

    private boolean isConnectedAt(String address) {
        return connections.values().stream().anyMatch(c -> c.address().equals(address));
    }

    public static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Parses host:port (IPv6 in brackets); empty when malformed. */
    public static Optional<InetSocketAddress> parse(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            return Optional.empty();
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65535 || host.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(InetSocketAddress.createUnresolved(host, port));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Keeps one address connected: dials, and after a failure or disconnect dials again with backoff. */
    private final class Dialer {
        final String address;
        final Backoff backoff = new Backoff(redialBase, Duration.ofSeconds(30));
        volatile boolean isStatic;
        volatile NodeId node;
        /** Attempts since this address last gave a registered connection. */
        volatile int failures;

        Dialer(String address, boolean isStatic) {
            this.address = address;
            this.isStatic = isStatic;
        }

        void dial() {
            if (closed || dialers.get(address) != this) {
                return;
            }
            if (node != null && connection(node).isPresent() || isConnectedAt(address)) {
                schedule(CHECK_CONNECTED);
                return;
            }
            InetSocketAddress target = parse(address).map(a -> new InetSocketAddress(a.getHostString(), a.getPort()))
                    .orElse(null);
            if (target == null || target.isUnresolved()) {
                log.warn("Cannot resolve peer address {}", address);
                retry();
                return;
            }
            new Bootstrap().group(group).channel(clientChannel)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                    .handler(initializer(tls.client(), true, address))
                    .connect(target)
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            log.debug("Dialing {} failed: {}", address, f.cause().toString());
                            retry();
                        } else {
                            ((io.netty.channel.ChannelFuture) f).channel().closeFuture().addListener(c -> retry());
                        }
                    });
        }

        /**
         * Dials again after a backoff, or, for an address that was only learned (gossip, discovery) and has not given
         * a connection for {@link #MAX_LEARNED_FAILURES} attempts, forgets it: a stale or bogus address must not
         * hold a place among the {@link #MAX_LEARNED} for good. Gossip or discovery teaches it again if it returns.
         */
        void retry() {
            if (++failures >= MAX_LEARNED_FAILURES && !isStatic && dialers.remove(address, this)) {
                log.debug("Forgetting learned peer address {} after {} attempts", address, failures);
                return;
            }
            schedule(backoff.nextDelay());
        }

        void schedule(Duration delay) {
            if (!closed) {
                group.schedule(this::dial, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        connections.values().forEach(c -> c.close("shutting down"));
        if (server != null) {
            server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
