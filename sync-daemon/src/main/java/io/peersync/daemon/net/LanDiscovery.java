package io.peersync.daemon.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.secret.DiscoveryTags;
import io.peersync.protocol.secret.FolderSecret;
import io.peersync.protocol.wire.Announcement;
import io.peersync.protocol.wire.ProtocolException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds peers on the local network: every {@link #INTERVAL} (and when asked) broadcasts a UDP {@link Announcement}
 * of this node's listen port and its folders, as tags only members can read; a matching announcement from another
 * node hands its address to {@code found}. Datagrams go only to the configured address (by default the IPv4
 * limited broadcast, which stays on the local link); everything received is untrusted and checked.
 */
public final class LanDiscovery implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(LanDiscovery.class);

    private final NodeId self;
    private final int listenPort;
    private final InetSocketAddress target;
    private final Supplier<List<FolderSecret>> folders;
    private final BiConsumer<NodeId, String> found;
    private final MultiThreadIoEventLoopGroup group;
    private final boolean epoll = Epoll.isAvailable();
    private final SecureRandom random = new SecureRandom();
    private static final int MAX_CACHED_KEYS = 256;
    private final java.util.Map<FolderSecret, byte[]> keys = new java.util.concurrent.ConcurrentHashMap<>();
    private Channel channel;

    /**
     * @param target  where announcements are sent; the same port is listened on, on every interface
     * @param folders the secrets of the folders to announce and to recognise
     * @param found   called (on the discovery thread) with a node and its host:port when it announced one of them
     */
    public LanDiscovery(NodeId self, int listenPort, InetSocketAddress target, Supplier<List<FolderSecret>> folders,
                        BiConsumer<NodeId, String> found) {
        this.self = self;
        this.listenPort = listenPort;
        this.target = target;
        this.folders = folders;
        this.found = found;
        this.group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** Binds the discovery port (shared with other peersync daemons on this host) and starts announcing. */
    public void start() throws InterruptedException {
        Bootstrap b = new Bootstrap().group(group)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_BROADCAST, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new Receiver());
        if (epoll) {
            b.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        channel = b.bind(new InetSocketAddress(target.getPort())).sync().channel();
        group.scheduleWithFixedDelay(() -> {
            try {
                announce();
            } catch (RuntimeException e) {
                log.warn("LAN discovery: announcing failed: {}", e.toString(), e); // and the next one is tried
            }
        }, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        log.info("LAN discovery: announcing to {}:{}", target.getHostString(), target.getPort());
    }

    /** Sends one announcement per {@link Announcement#MAX_TAGS} folders now. */
    public void announce() {
        Channel c = channel;
        if (c == null || !c.isActive()) {
            return;
        }
        List<FolderSecret> all = folders.get();
        for (int from = 0; from < all.size(); from += Announcement.MAX_TAGS) {
            byte[] nonce = new byte[Announcement.NONCE_BYTES];
            random.nextBytes(nonce);
            List<byte[]> tags = new ArrayList<>();
            for (FolderSecret s : all.subList(from, Math.min(all.size(), from + Announcement.MAX_TAGS))) {
                tags.add(DiscoveryTags.tag(key(s), self, listenPort, nonce));
            }
            ByteBuf out = c.alloc().buffer(Announcement.MAX_BYTES);
            new Announcement(self, listenPort, nonce, tags).encode(out);
            c.writeAndFlush(new DatagramPacket(out, target)).addListener(f -> {
                if (!f.isSuccess()) {
                    log.debug("LAN discovery: cannot send to {}: {}", target, f.cause().toString());
                }
            });
        }
    }

    /** A folder's discovery key, derived once (a datagram costs one HMAC per folder, not a key derivation too). */
    private byte[] key(FolderSecret secret) {
        if (keys.size() > MAX_CACHED_KEYS) {
            keys.clear(); // folders come and go; never hold more than a few hundred keys
        }
        return keys.computeIfAbsent(secret, DiscoveryTags::key);
    }

    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            Announcement a;
            try {
                a = Announcement.decode(packet.content());
            } catch (ProtocolException | IndexOutOfBoundsException e) {
                log.debug("LAN discovery: dropped a datagram from {}: {}", packet.sender(), e.getMessage());
                return;
            }
            if (a.node().equals(self)) {
                return;
            }
            for (FolderSecret s : folders.get()) {
                if (DiscoveryTags.names(a, key(s))) {
                    String address = PeerNetwork.hostPort(packet.sender().getAddress().getHostAddress(), a.port());
                    found.accept(a.node(), address);
                    return;
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("LAN discovery: {}", cause.toString());
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
