package io.peersync.daemon.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.wire.Limits;
import io.peersync.protocol.wire.Message;
import io.peersync.protocol.wire.Message.BlockResponse;
import io.peersync.protocol.wire.Message.Close;
import io.peersync.protocol.wire.Message.Hello;
import io.peersync.protocol.wire.Message.Ping;
import io.peersync.protocol.wire.ProtocolException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Per-connection protocol state: TLS identity, Hello exchange, keepalive, dispatch to the network. */
final class ConnectionHandler extends SimpleChannelInboundHandler<Message> {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PeerNetwork network;
    private final boolean outbound;
    private final String dialedAddress;
    private final byte[] nonce = new byte[Limits.NONCE_BYTES];
    private NodeId remote;
    private PeerConnection connection;

    ConnectionHandler(PeerNetwork network, boolean outbound, String dialedAddress) {
        this.network = network;
        this.outbound = outbound;
        this.dialedAddress = dialedAddress;
        RANDOM.nextBytes(nonce);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), done.cause().toString());
                ctx.close();
                return;
            }
            remote = TlsContexts.peerNodeId(ctx.pipeline().get(SslHandler.class).engine().getSession());
            if (remote.equals(network.self())) {
                network.markSelf(dialedAddress);
                ctx.close();
                return;
            }
            // No addresses here: this peer has proved no folder yet. Gossip goes to members only (FolderPeers).
            ctx.writeAndFlush(new Hello(Limits.PROTOCOL_VERSION, "peersync", network.listenPort(), nonce,
                    java.util.List.of()));
        } else if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(new Ping());
            } else if (idle.state() == IdleState.READER_IDLE && ctx.channel().config().isAutoRead()) {
                // Not while we hold reading ourselves: then the silence is ours, not the peer's.
                log.info("Peer {} sent nothing for {} s; closing the connection", describe(ctx),
                        PeerNetwork.DEAD_AFTER.toSeconds());
                ctx.close();
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        if (remote == null) {
            throw new ProtocolException("message before the TLS handshake completed");
        }
        if (msg instanceof Hello hello) {
            onHello(ctx, hello);
        } else if (connection == null) {
            throw new ProtocolException("expected Hello first, got " + msg.getClass().getSimpleName());
        } else if (msg instanceof Ping) {
            // Keepalive only: the idle handler already saw the read.
        } else if (msg instanceof Close close) {
            log.info("Peer {} closed the connection: {}", connection, close.reason());
            ctx.close();
        } else if (msg instanceof BlockResponse response) {
            connection.onResponse(response);
        } else {
            network.listener().onMessage(connection, msg);
        }
    }

    private void onHello(ChannelHandlerContext ctx, Hello hello) {
        if (connection != null) {
            throw new ProtocolException("second Hello on one connection");
        }
        if (hello.protocolVersion() != Limits.PROTOCOL_VERSION) {
            ctx.writeAndFlush(new Close("unsupported protocol version " + hello.protocolVersion()))
                    .addListener(f -> ctx.close());
            return;
        }
        InetSocketAddress remoteAddress = (InetSocketAddress) ctx.channel().remoteAddress();
        String address = outbound ? dialedAddress
                : PeerNetwork.hostPort(remoteAddress.getAddress().getHostAddress(), hello.listenPort());
        connection = new PeerConnection(ctx.channel(), network.self(), remote, outbound, address, nonce,
                hello.nonce());
        if (!network.register(connection)) {
            connection = null;
            ctx.writeAndFlush(new Close("duplicate connection")).addListener(f -> ctx.close());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (connection != null) {
            connection.failPending();
            network.unregister(connection);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && !(root instanceof ProtocolException)) {
            root = root.getCause();
        }
        if (root instanceof ProtocolException) {
            log.warn("Peer {} broke the protocol ({}); disconnecting", describe(ctx), root.getMessage());
        } else {
            log.info("Connection to {} failed: {}", describe(ctx), root.toString());
            log.debug("Connection failure detail", cause);
        }
        ctx.close();
    }

    private String describe(ChannelHandlerContext ctx) {
        return connection != null ? connection.toString()
                : (remote != null ? remote.shortForm() + "@" : "") + ctx.channel().remoteAddress();
    }
}
