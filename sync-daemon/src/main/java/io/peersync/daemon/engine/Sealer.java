package io.peersync.daemon.engine;

import io.peersync.daemon.fs.FolderFs;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.Hash;
import io.peersync.protocol.SealedInfo;
import io.peersync.protocol.secret.ContentCipher;
import io.peersync.protocol.secret.FolderSecret;
import io.peersync.protocol.secret.RecordSigner;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Signs the versions a read-write node makes: encrypts each block as encrypted nodes will store it, so that the
 * signature also covers the ciphertext hashes they check. The blocks of a large file are encrypted on several
 * threads at once, each holding one block at a time.
 */
final class Sealer {
    /** Files from this size on are split among the executor's threads. */
    static final long PARALLEL_FROM_BYTES = 16L * 1024 * 1024;

    private final FolderSecret secret;
    private final ContentCipher cipher;
    private final FolderFs fs;
    private final ExecutorService executor;
    private final int parallelism;

    /** A sealer that encrypts on the calling thread only. */
    Sealer(FolderSecret secret, FolderFs fs) {
        this(secret, fs, null, 1);
    }

    /** A sealer that splits large files among {@code parallelism} tasks on {@code executor}. */
    Sealer(FolderSecret secret, FolderFs fs, ExecutorService executor, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism: " + parallelism + " (expected: >= 1)");
        }
        this.secret = secret;
        this.cipher = secret.contentCipher().orElseThrow();
        this.fs = fs;
        this.executor = executor;
        this.parallelism = executor == null ? 1 : parallelism;
    }

    /** The record with its seal; fails if the file on disk no longer has the record's blocks. */
    FileRecord seal(FileRecord r) throws IOException {
        List<Hash> encrypted = List.of();
        if (r.type() == FileType.FILE && !r.deleted() && !r.blocks().isEmpty()) {
            encrypted = encryptedHashes(r);
        }
        SealedInfo seal = RecordSigner.seal(secret, r, encrypted);
        return r.withSealed(seal);
    }

    private List<Hash> encryptedHashes(FileRecord r) throws IOException {
        List<BlockRef> blocks = r.blocks();
        int parts = r.size() < PARALLEL_FROM_BYTES ? 1 : Math.min(parallelism, blocks.size());
        if (parts == 1) {
            return encryptedHashes(r.path(), blocks);
        }
        List<Future<List<Hash>>> futures = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            List<BlockRef> part = blocks.subList(blocks.size() * i / parts, blocks.size() * (i + 1) / parts);
            futures.add(executor.submit(() -> encryptedHashes(r.path(), part)));
        }
        List<Hash> encrypted = new ArrayList<>(blocks.size());
        try {
            for (Future<List<Hash>> f : futures) {
                encrypted.addAll(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("sealing " + r.path() + ": interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("sealing " + r.path() + ": " + e.getCause(), e.getCause());
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
        return encrypted;
    }

    /** The SHA-256 of each of {@code blocks} encrypted, read from the file at {@code path}. */
    private List<Hash> encryptedHashes(String path, List<BlockRef> blocks) throws IOException {
        List<Hash> encrypted = new ArrayList<>(blocks.size());
        try (FileChannel channel = fs.openReadChannel(path)) {
            for (BlockRef b : blocks) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("sealing " + path + ": interrupted");
                }
                byte[] plain = read(channel, b);
                try {
                    // encryptBlock checks the plain hash, as the nonce depends on it.
                    encrypted.add(Hash.sha256(cipher.encryptBlock(plain, b.hash())));
                } catch (IllegalArgumentException e) {
                    throw new IOException(path + " changed while it was being sealed");
                }
            }
        }
        return encrypted;
    }

    static byte[] read(FileChannel channel, BlockRef b) throws IOException {
        byte[] data = new byte[b.size()];
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, b.offset() + buffer.position()) < 0) {
                throw new IOException("file is shorter than its record");
            }
        }
        return data;
    }
}
