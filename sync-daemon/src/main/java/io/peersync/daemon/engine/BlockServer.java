package io.peersync.daemon.engine;

import io.peersync.daemon.fs.FolderFs;
import io.peersync.daemon.index.IndexStore;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.secret.AccessLevel;
import io.peersync.protocol.secret.ContentCipher;
import io.peersync.protocol.wire.Message.BlockRequest;
import io.peersync.protocol.wire.Message.BlockResponse;
import io.peersync.protocol.wire.Message.BlockResponse.Status;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers peers' block requests from files on disk, only for blocks our index says we have, and only bytes that
 * still hash right. An encrypted member asks in encrypted space: its blocks are encrypted on the way out.
 */
final class BlockServer {
    private static final Logger log = LoggerFactory.getLogger(BlockServer.class);
    /** Requests one peer may have outstanding with us; more get BUSY. */
    static final int MAX_SERVING_PER_PEER = 64;

    private final FolderId id;
    private final IndexStore index;
    private final FolderFs fs;
    /** This node stores ciphertext: it serves blocks as they are on disk. */
    private final boolean encrypted;
    /** Plain nodes: encrypts blocks for encrypted members; null on encrypted nodes. */
    private final ContentCipher cipher;
    private final Executor io;
    private final FolderActivity activity;

    BlockServer(FolderId id, IndexStore index, FolderFs fs, boolean encrypted, ContentCipher cipher, Executor io,
                FolderActivity activity) {
        this.activity = activity;
        this.id = id;
        this.index = index;
        this.fs = fs;
        this.encrypted = encrypted;
        this.cipher = cipher;
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
                    boolean translate = !encrypted && member.level == AccessLevel.ENCRYPTED;
                    BlockResponse response = translate ? readEncrypted(request) : read(request);
                    if (response.data() != null) {
                        activity.sent.addAndGet(response.data().length);
                    }
                    member.connection.send(response);
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
        Optional<FileRecord> local = index.local(id, request.path());
        Optional<BlockRef> block = local.filter(r -> !r.deleted()).flatMap(r -> blockAt(r.blocks(), request.offset()))
                .filter(b -> b.size() == request.size() && b.hash().equals(request.hash()));
        byte[] data = block.flatMap(b -> readVerified(request.path(), b)).orElse(null);
        return data == null ? BlockResponse.failed(request.id(), Status.NOT_FOUND) : BlockResponse.ok(request.id(), data);
    }

    /** A plain node serving an encrypted member: find the plain block behind the encrypted coordinates. */
    private BlockResponse readEncrypted(BlockRequest request) {
        if (cipher == null) {
            return BlockResponse.failed(request.id(), Status.NOT_FOUND);
        }
        String plainPath;
        try {
            plainPath = cipher.decryptPath(request.path());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return BlockResponse.failed(request.id(), Status.NOT_FOUND);
        }
        Optional<FileRecord> local = index.local(id, plainPath).filter(r -> !r.deleted() && r.sealed() != null);
        if (local.isEmpty() || local.get().blockSize() <= 0) {
            return BlockResponse.failed(request.id(), Status.NOT_FOUND);
        }
        FileRecord r = local.get();
        long stride = ContentCipher.encryptedSize(r.blockSize());
        long i = request.offset() / stride;
        if (request.offset() % stride != 0 || i >= r.blocks().size()
                || !r.sealed().encryptedBlockHashes().get((int) i).equals(request.hash())) {
            return BlockResponse.failed(request.id(), Status.NOT_FOUND);
        }
        BlockRef plain = r.blocks().get((int) i);
        byte[] data = readVerified(plainPath, plain).map(p -> cipher.encryptBlock(p, plain.hash())).orElse(null);
        if (data == null || data.length != request.size() || !Hash.sha256(data).equals(request.hash())) {
            return BlockResponse.failed(request.id(), Status.NOT_FOUND);
        }
        return BlockResponse.ok(request.id(), data);
    }

    private Optional<byte[]> readVerified(String path, BlockRef block) {
        try (FileChannel channel = fs.openReadChannel(path)) {
            byte[] data = Sealer.read(channel, block);
            // The file may have changed on disk since it was indexed: never serve bytes that don't match.
            return Hash.sha256(data).equals(block.hash()) ? Optional.of(data) : Optional.empty();
        } catch (IOException e) {
            log.debug("Cannot read {} for a peer: {}", path, e.toString());
            return Optional.empty();
        }
    }

    /** The block starting at {@code offset}; blocks are sorted by offset, so a binary search finds it. */
    static Optional<BlockRef> blockAt(List<BlockRef> blocks, long offset) {
        int lo = 0;
        int hi = blocks.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long o = blocks.get(mid).offset();
            if (o == offset) {
                return Optional.of(blocks.get(mid));
            } else if (o < offset) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return Optional.empty();
    }
}
