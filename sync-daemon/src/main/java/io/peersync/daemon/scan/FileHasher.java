package io.peersync.daemon.scan;

import io.peersync.daemon.fs.FileMeta;
import io.peersync.daemon.fs.FolderFs;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.Hash;
import io.peersync.protocol.VersionVector;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import io.peersync.protocol.wire.Limits;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/** Splits a file into blocks and hashes each block and the whole file in one streaming pass. */
public final class FileHasher {
    public static final int MIN_BLOCK_SIZE = 128 * 1024;
    public static final int MAX_BLOCK_SIZE = 16 * 1024 * 1024;
    /** Files up to this size use {@link #MIN_BLOCK_SIZE}; larger ones aim at {@link #TARGET_BLOCKS} blocks. */
    public static final long FIXED_BLOCK_LIMIT = 256L * 1024 * 1024;
    public static final int TARGET_BLOCKS = 2000;
    /** The largest file a record can describe: {@link Limits#MAX_BLOCKS_PER_FILE} blocks of the largest size (2 TiB). */
    public static final long MAX_FILE_SIZE = (long) Limits.MAX_BLOCKS_PER_FILE * MAX_BLOCK_SIZE;
    /** Read buffer: every block size is a multiple of it, so a read never spans two blocks. */
    static final int BUFFER_SIZE = MIN_BLOCK_SIZE;

    private final FolderFs fs;

    FileHasher(FolderFs fs) {
        this.fs = fs;
    }

    /** The block size of a file of {@code size} bytes. */
    public static int blockSizeFor(long size) {
        if (size <= FIXED_BLOCK_LIMIT) {
            return MIN_BLOCK_SIZE;
        }
        long wanted = (size + TARGET_BLOCKS - 1) / TARGET_BLOCKS;
        long blockSize = Long.highestOneBit(wanted);
        if (blockSize < wanted) {
            blockSize <<= 1;
        }
        return (int) Math.max(MIN_BLOCK_SIZE, Math.min(MAX_BLOCK_SIZE, blockSize));
    }

    /**
     * Hashes the file at {@code path}, which {@code before} describes; empty when the file changed while it was being
     * read (its size or mtime differ afterwards). {@code buffer} holds {@link #BUFFER_SIZE} bytes and is reused;
     * every byte read is added to {@code hashedBytes}.
     */
    Optional<FileRecord> hash(String path, FileMeta before, byte[] buffer, LongAdder hashedBytes) throws IOException {
        long size = before.size();
        int blockSize = blockSizeFor(size);
        MessageDigest fileDigest = Hash.newDigest();
        MessageDigest blockDigest = Hash.newDigest();
        List<BlockRef> blocks = new ArrayList<>((int) Math.min(size / blockSize + 1, TARGET_BLOCKS + 1));
        long blockStart = 0;
        int inBlock = 0;
        long total = 0;
        try (InputStream in = fs.openRead(path)) {
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("hashing " + path + ": interrupted");
                }
                int n = in.read(buffer, 0, Math.min(buffer.length, blockSize - inBlock));
                if (n < 0) {
                    break;
                }
                total += n;
                hashedBytes.add(n);
                if (total > size) {
                    return Optional.empty(); // grew while we read; stop instead of chasing an appending writer
                }
                fileDigest.update(buffer, 0, n);
                blockDigest.update(buffer, 0, n);
                inBlock += n;
                if (inBlock == blockSize) {
                    blocks.add(new BlockRef(blockStart, blockSize, Hash.of(blockDigest.digest())));
                    blockStart += blockSize;
                    inBlock = 0;
                }
            }
        }
        if (inBlock > 0) {
            blocks.add(new BlockRef(blockStart, inBlock, Hash.of(blockDigest.digest())));
        }
        Optional<FileMeta> after = fs.stat(path);
        if (total != size || after.isEmpty() || !after.get().isFile() || after.get().size() != size
                || after.get().mtimeNanos() != before.mtimeNanos()) {
            return Optional.empty();
        }
        return Optional.of(new FileRecord(path, FileType.FILE, size, before.mtimeNanos(), before.mode(),
                VersionVector.EMPTY, false, 0, 0, blockSize, blocks, Hash.of(fileDigest.digest()), ""));
    }
}
