package io.peersync.daemon.engine;

import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.Hash;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.secret.ContentCipher;
import io.peersync.protocol.secret.FolderSecret;
import io.peersync.protocol.secret.RecordSigner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** One folder's secrets at every level, and plain records sealed the way a read-write node seals them. */
final class SealedRecords {
    static final FolderSecret RW = FolderSecret.generate();
    static final FolderSecret RO = RW.readOnly().orElseThrow();
    static final FolderSecret ENC = RW.encrypted().orElseThrow();
    static final long AUTHOR = 0x8000_0000_0000_0007L;
    static final VersionVector VERSION = VersionVector.of(Map.of(AUTHOR, 2L, 11L, 1L));
    static final long MTIME = 1_700_000_000_123_456_789L;

    private SealedRecords() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A file record of {@code content} cut into blocks of {@code blockSize}, unsealed. */
    static FileRecord file(String path, byte[] content, int blockSize) {
        List<BlockRef> blocks = new ArrayList<>();
        for (int off = 0; off < content.length; off += blockSize) {
            int len = Math.min(blockSize, content.length - off);
            blocks.add(new BlockRef(off, len, Hash.sha256(content, off, len)));
        }
        return new FileRecord(path, FileType.FILE, content.length, MTIME, 0644, VERSION, false, 17, AUTHOR,
                blockSize, blocks, Hash.sha256(content), "");
    }

    static FileRecord dir(String path) {
        return new FileRecord(path, FileType.DIRECTORY, 0, MTIME, 0755, VERSION, false, 18, AUTHOR, 0, List.of(),
                null, "");
    }

    static FileRecord symlink(String path, String target) {
        return new FileRecord(path, FileType.SYMLINK, 0, MTIME, 0777, VERSION, false, 19, AUTHOR, 0, List.of(),
                null, target);
    }

    static FileRecord tombstone(FileRecord of) {
        return of.asDeleted(of.version().increment(AUTHOR), 20, AUTHOR, MTIME + 1);
    }

    /** {@code r} sealed with {@link #RW}; {@code content} is the file's bytes (ignored for non-files). */
    static FileRecord sealed(FileRecord r, byte[] content) {
        ContentCipher cipher = RW.contentCipher().orElseThrow();
        List<Hash> hashes = new ArrayList<>();
        if (r.type() == FileType.FILE && !r.deleted()) {
            for (BlockRef b : r.blocks()) {
                byte[] plain = Arrays.copyOfRange(content, (int) b.offset(), (int) b.offset() + b.size());
                hashes.add(Hash.sha256(cipher.encryptBlock(plain, b.hash())));
            }
        }
        return r.withSealed(RecordSigner.seal(RW, r, hashes));
    }
}
