package io.peersync.daemon.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.wire.Message;
import io.peersync.protocol.wire.Message.BlockRequest;
import io.peersync.protocol.wire.Message.BlockResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One authenticated connection to a peer node, shared by all folders. Thread-safe. */
public final class PeerConnection {
    /** Bytes of block data we may have requested and not yet received on one connection. */
    static final int REQUEST_BUDGET_KIB = 16 * 1024;
    private static final long REQUEST_TIMEOUT_SECONDS = 60;

    private final Channel channel;
    private final NodeId self;
    private final NodeId remote;
    private final boolean outbound;
    private final String address;
    private final byte[] localNonce;
    private final byte[] remoteNonce;
    private final Map<Integer, CompletableFuture<BlockResponse>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextRequestId = new AtomicInteger();
    private final Semaphore budget = new Semaphore(REQUEST_BUDGET_KIB, true);
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicInteger readHolds = new AtomicInteger();
    /** The wire byte counts of this channel; null where the pipeline has no traffic handler (unit tests). */
    private final io.netty.handler.traffic.TrafficCounter traffic;

    PeerConnection(Channel channel, NodeId self, NodeId remote, boolean outbound, String address,
                   byte[] localNonce, byte[] remoteNonce) {
        this.channel = channel;
        this.self = self;
        this.remote = remote;
        this.outbound = outbound;
        this.address = address;
        this.localNonce = localNonce.clone();
        this.remoteNonce = remoteNonce.clone();
        var shaper = channel.pipeline().get(io.netty.handler.traffic.ChannelTrafficShapingHandler.class);
        this.traffic = shaper == null ? null : shaper.trafficCounter();
    }

    public NodeId remote() {
        return remote;
    }

    public NodeId self() {
        return self;
    }

    /** host:port where the peer listens for connections. */
    public String address() {
        return address;
    }

    public boolean outbound() {
        return outbound;
    }

    /** The node that dialed this connection; used to pick one of two simultaneous connections. */
    NodeId dialer() {
        return outbound ? self : remote;
    }

    public byte[] localNonce() {
        return localNonce.clone();
    }

    public byte[] remoteNonce() {
        return remoteNonce.clone();
    }

    public boolean isActive() {
        return channel.isActive();
    }

    public ChannelFuture send(Message message) {
        return channel.writeAndFlush(message);
    }

    /** True while the socket can take more writes without queueing in memory. */
    public boolean isWritable() {
        return channel.isWritable();
    }

    /**
     * Stops reading from this peer until every hold is released: backpressure for work its messages have queued.
     * Frames already read may still arrive; nothing more is read from the socket, so the peer's writes back up.
     */
    public ReadHold holdReading() {
        readHolds.incrementAndGet();
        applyReadHolds();
        return new ReadHold();
    }

    /** True while some hold stops reading from this peer. */
    public boolean readingHeld() {
        return readHolds.get() > 0;
    }

    /** One {@link #holdReading} hold; reading resumes once every hold is released. */
    public final class ReadHold {
        private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

        private ReadHold() {
        }

        /** Releases this hold; later calls do nothing. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                readHolds.decrementAndGet();
                applyReadHolds();
            }
        }
    }

    // On the event loop, in order: the last task to run sees the final count, whatever the threads' interleaving.
    private void applyReadHolds() {
        io.netty.channel.EventLoop loop = channel.eventLoop();
        if (loop.isShuttingDown()) {
            return; // the connection stops with its event loop; nothing is read any more anyway
        }
        try {
            loop.execute(() -> {
                boolean read = readHolds.get() == 0;
                if (read && !channel.config().isAutoRead()) {
                    // The silence while held was ours: the peer gets a full dead-peer timeout from now.
                    io.netty.handler.timeout.IdleStateHandler idle =
                            channel.pipeline().get(io.netty.handler.timeout.IdleStateHandler.class);
                    if (idle != null) {
                        idle.resetReadTimeout();
                    }
                }
                channel.config().setAutoRead(read);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The event loop stopped between the check and the call: as above.
        }
    }

    public void close(String reason) {
        if (channel.isActive()) {
            channel.writeAndFlush(new Message.Close(reason)).addListener(f -> channel.close());
        }
    }

    /** Bytes read from the socket on this connection, TLS included. */
    public long wireBytesIn() {
        return traffic == null ? 0 : traffic.cumulativeReadBytes();
    }

    /** Bytes written to the socket on this connection, TLS included. */
    public long wireBytesOut() {
        return traffic == null ? 0 : traffic.cumulativeWrittenBytes();
    }

    public long bytesReceived() {
        return bytesReceived.get();
    }

    /**
     * Requests one block. Blocks the calling thread while this connection's request budget is spent, so it must never
     * be called from an event loop. The future fails if the connection drops or the peer does not answer in time.
     */
    public CompletableFuture<BlockResponse> requestBlock(FolderId folder, String path, long offset, int size, Hash hash)
            throws InterruptedException {
        int permits = Math.max(1, Math.min(REQUEST_BUDGET_KIB, (size + 1023) / 1024));
        budget.acquire(permits);
        int id = nextRequestId.incrementAndGet();
        CompletableFuture<BlockResponse> future = new CompletableFuture<>();
        pending.put(id, future);
        future.whenComplete((r, e) -> {
            pending.remove(id);
            budget.release(permits);
        });
        if (!channel.isActive()) {
            future.completeExceptionally(new IOException("connection to " + remote.shortForm() + " is closed"));
            return future;
        }
        send(new BlockRequest(id, folder, path, offset, size, hash)).addListener(f -> {
            if (!f.isSuccess()) {
                future.completeExceptionally(f.cause());
            }
        });
        future.orTimeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return future;
    }

    void onResponse(BlockResponse response) {
        CompletableFuture<BlockResponse> future = pending.get(response.id());
        if (future != null) {
            bytesReceived.addAndGet(response.data().length);
            future.complete(response);
        }
    }

    void failPending() {
        IOException closed = new IOException("connection to " + remote.shortForm() + " closed");
        pending.values().forEach(f -> f.completeExceptionally(closed));
    }

    @Override
    public String toString() {
        return remote.shortForm() + "@" + address;
    }
}
