package io.peersync.daemon.engine;

import io.peersync.daemon.fs.FolderFs;
import io.peersync.daemon.index.BlockLocation;
import io.peersync.daemon.net.PeerConnection;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.secret.AccessLevel;
import io.peersync.protocol.secret.ContentCipher;
import io.peersync.protocol.wire.Message.BlockResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Downloads one file version into a temp file under {@code .peersync/tmp/}: blocks already in the temp file (from
 * an interrupted pull) are kept after re-hashing, blocks found anywhere on this node are copied locally, the rest
 * are requested from peers that announced this version, pipelined. Every block is verified before it is written,
 * and the whole file again before it may be renamed into place.
 */
final class FilePull {
    /** Blocks in flight per file; bounds memory together with the per-connection byte budget. */
    static final int WINDOW = 16;
    private static final int ATTEMPTS_PER_BLOCK = 4;

    private final PullTarget target;
    private final FolderId folder;
    private final FolderFs fs;
    /** This node stores ciphertext: blocks are verified one by one against signed hashes, never decrypted. */
    private final boolean encryptedFolder;
    private final ContentCipher cipher;
    private final FolderActivity counters;

    FilePull(PullTarget target) {
        this.target = target;
        this.folder = target.id();
        this.fs = target.fs();
        this.counters = target.counters();
        this.encryptedFolder = target.encrypted();
        this.cipher = target.cipher().orElse(null);
    }

    /** The temp file name for a version: stable across restarts so an interrupted pull resumes. */
    static String tempName(FileRecord record) {
        Hash pathHash = Hash.sha256(record.path().getBytes(StandardCharsets.UTF_8));
        return "pull-" + pathHash.hex().substring(0, 20) + "-" + record.fileHash().hex().substring(0, 20) + ".tmp";
    }

    /** Fills and verifies the temp file; returns its name, ready for {@link FolderFs#prepareTemp}. */
    String download(FileRecord record) throws IOException, InterruptedException {
        String temp = tempName(record);
        FileChannel channel = fs.openTemp(temp, true);
        try {
            long existing = channel.size();
            if (existing > record.size()) {
                channel.truncate(record.size());
                existing = record.size();
            }
            Deque<Pending> window = new ArrayDeque<>();
            for (int index = 0; index < record.blocks().size(); index++) {
                BlockRef block = record.blocks().get(index);
                if (block.size() == 0) {
                    continue;
                }
                if (block.offset() + block.size() <= existing && matches(channel, block)) {
                    counters.resumed.addAndGet(block.size());
                    continue;
                }
                byte[] local = copyLocally(record, block);
                if (local != null) {
                    fs.writeAt(channel, block.offset(), ByteBuffer.wrap(local));
                    counters.localCopy.addAndGet(block.size());
                    continue;
                }
                if (window.size() >= WINDOW) {
                    finish(window.removeFirst(), record, channel);
                }
                window.addLast(request(record, block, index, 0));
            }
            while (!window.isEmpty()) {
                finish(window.removeFirst(), record, channel);
            }
            if (channel.size() != record.size()) {
                channel.truncate(record.size());
            }
            if (!encryptedFolder) {
                verifyWhole(channel, record);
            }
        } finally {
            // Not fsynced here: FolderFs.prepareTemp fsyncs data and metadata together, once.
            channel.close();
        }
        return temp;
    }

    private record Pending(BlockRef block, int index, CompletableFuture<BlockResponse> future, Member source,
                           int attempt) {
    }

    private Pending request(FileRecord record, BlockRef block, int index, int attempt)
            throws IOException, InterruptedException {
        List<Member> candidates = target.sources(record);
        if (candidates.isEmpty()) {
            throw new IOException("no connected peer has " + record.path() + " in this version");
        }
        // Spread blocks over every peer that has them (swarming), starting at a different peer per attempt.
        Member source = candidates.get(Math.floorMod(index + attempt, candidates.size()));
        PeerConnection c = source.connection;
        CompletableFuture<BlockResponse> future;
        if (!encryptedFolder && source.level == AccessLevel.ENCRYPTED) {
            // An encrypted peer only has ciphertext: ask for the encrypted block the signed seal names.
            future = c.requestBlock(folder, record.sealed().encryptedPath(),
                    EncryptedView.encryptedOffset(record, index), ContentCipher.encryptedSize(block.size()),
                    record.sealed().encryptedBlockHashes().get(index));
        } else {
            future = c.requestBlock(folder, record.path(), block.offset(), block.size(), block.hash());
        }
        return new Pending(block, index, future, source, attempt);
    }

    private void finish(Pending pending, FileRecord record, FileChannel channel)
            throws IOException, InterruptedException {
        Pending current = pending;
        while (true) {
            String problem;
            try {
                BlockResponse response = current.future().get();
                byte[] data = response.status() == BlockResponse.Status.OK ? plainOf(record, current, response) : null;
                if (data != null && data.length == current.block().size()
                        && Hash.sha256(data).equals(current.block().hash())) {
                    fs.writeAt(channel, current.block().offset(), ByteBuffer.wrap(data));
                    counters.network.addAndGet(response.data().length);
                    return;
                }
                problem = response.status() == BlockResponse.Status.OK ? "a block that failed verification"
                        : response.status().name();
            } catch (ExecutionException e) {
                problem = e.getCause().toString();
            }
            if (current.attempt() + 1 >= ATTEMPTS_PER_BLOCK) {
                throw new IOException("could not get a block of " + record.path() + " (last answer: " + problem + ")");
            }
            current = request(record, current.block(), current.index(), current.attempt() + 1);
        }
    }

    /** The block's plain bytes: decrypted when it came from an encrypted peer, after checking the signed hash. */
    private byte[] plainOf(FileRecord record, Pending p, BlockResponse response) {
        if (encryptedFolder || p.source().level != AccessLevel.ENCRYPTED) {
            return response.data();
        }
        if (!Hash.sha256(response.data()).equals(record.sealed().encryptedBlockHashes().get(p.index()))) {
            return null;
        }
        try {
            return cipher.decryptBlock(response.data());
        } catch (java.security.GeneralSecurityException e) {
            return null;
        }
    }

    private byte[] copyLocally(FileRecord record, BlockRef block) {
        Optional<BlockLocation> location = target.findBlock(block.hash());
        if (location.isEmpty() || location.get().size() != block.size()) {
            return null;
        }
        byte[] data = new byte[block.size()];
        try (FileChannel source = fs.openReadChannel(location.get().path())) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                if (source.read(buffer, location.get().offset() + buffer.position()) < 0) {
                    return null;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return Hash.sha256(data).equals(block.hash()) ? data : null;
    }

    private static boolean matches(FileChannel channel, BlockRef block) throws IOException {
        byte[] data = new byte[block.size()];
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, block.offset() + buffer.position()) < 0) {
                return false;
            }
        }
        return Hash.sha256(data).equals(block.hash());
    }

    private static void verifyWhole(FileChannel channel, FileRecord record) throws IOException {
        MessageDigest digest = Hash.newDigest();
        ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
        long position = 0;
        while (position < record.size()) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n < 0) {
                break;
            }
            buffer.flip();
            digest.update(buffer);
            position += n;
        }
        if (position != record.size() || !Hash.of(digest.digest()).equals(record.fileHash())) {
            throw new IOException("downloaded " + record.path() + " does not match its announced hash");
        }
    }
}
