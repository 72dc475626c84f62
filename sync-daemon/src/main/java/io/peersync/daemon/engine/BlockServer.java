package io.peersync.daemon.engine;

import io.peersync.daemon.fs.FolderFs;
import io.peersync.daemon.index.IndexStore;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.wire.Message.BlockRequest;
import io.peersync.protocol.wire.Message.BlockResponse;
import io.peersync.protocol.wire.Message.BlockResponse.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers peers' block requests from files on disk, only for blocks our index says we have. */
final class BlockServer {
    private static final Logger log = LoggerFactory.getLogger(BlockServer.class);
    /** Requests one peer may have outstanding with us; more get BUSY. */
    static final int MAX_SERVING_PER_PEER = 64;

    private final FolderId folder;
    private final IndexStore index;
    private final FolderFs fs;
    private final Executor io;

    BlockServer(FolderId folder, IndexStore index, FolderFs fs, Executor io) {
        this.folder = folder;
        this.index = index;
        this.fs = fs;
        this.io = io;
    }

    void serve(Member member, BlockRequest request) {
        if (member.serving.incrementAndGet() > MAX_SERVING_PER_PEER) {
            member.serving.decrementAndGet();
            member.connection.send(BlockResponse.failed(request.id(), Status.BUSY));
            return;
        }
        try {
            io.execute(() -> {
                try {
                    member.connection.send(read(request));
                } finally {
                    member.serving.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            member.serving.decrementAndGet();
            member.connection.send(BlockResponse.failed(request.id(), Status.BUSY));
        }
    }

    private BlockResponse read(BlockRequest request) {
        Optional<FileRecord> local = index.local(folder, request.path());
        if (local.isEmpty() || local.get().deleted() || !hasBlock(local.get(), request)) {
            return BlockResponse.failed(request.id(), Status.NOT_FOUND);
        }
        byte[] data = new byte[request.size()];
        try (FileChannel channel = fs.openReadChannel(request.path())) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, request.offset() + buffer.position()) < 0) {
                    return BlockResponse.failed(request.id(), Status.NOT_FOUND);
                }
            }
        } catch (IOException e) {
            log.debug("Cannot read {} for a peer: {}", request.path(), e.toString());
            return BlockResponse.failed(request.id(), Status.NOT_FOUND);
        }
        // The file may have changed on disk since it was indexed: never serve bytes that don't match.
        if (!Hash.sha256(data).equals(request.hash())) {
            return BlockResponse.failed(request.id(), Status.NOT_FOUND);
        }
        return BlockResponse.ok(request.id(), data);
    }

    private static boolean hasBlock(FileRecord record, BlockRequest request) {
        for (BlockRef b : record.blocks()) {
            if (b.offset() == request.offset()) {
                return b.size() == request.size() && b.hash().equals(request.hash());
            }
        }
        return false;
    }
}
