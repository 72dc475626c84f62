package io.peersync.daemon.index;

import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.VersionVector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Real file records for index tests: block lists and hashes are SHA-256 of the given content. */
public final class Records {
    public static final int BLOCK_SIZE = 4;
    public static final long MTIME = 1_700_000_000_000_000_000L;

    private Records() {
    }

    public static NodeId node(String name) {
        return new NodeId(Hash.sha256(name.getBytes(StandardCharsets.UTF_8)));
    }

    public static FolderId folder(int n) {
        byte[] bytes = new byte[FolderId.BYTES];
        Arrays.fill(bytes, (byte) n);
        return FolderId.ofBytes(bytes);
    }

    /** Version with {@code node} at {@code counter}, plus further node/counter pairs. */
    public static VersionVector version(NodeId node, long counter, Object... more) {
        VersionVector v = VersionVector.EMPTY;
        for (int i = 0; i < counter; i++) {
            v = v.increment(node.shortId());
        }
        for (int i = 0; i < more.length; i += 2) {
            for (long c = 0; c < (Integer) more[i + 1]; c++) {
                v = v.increment(((NodeId) more[i]).shortId());
            }
        }
        return v;
    }

    public static FileRecord file(String path, String content, VersionVector version, NodeId by) {
        return file(path, content, version, by, MTIME);
    }

    public static FileRecord file(String path, String content, VersionVector version, NodeId by, long mtime) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        List<BlockRef> blocks = new ArrayList<>();
        for (int off = 0; off < data.length; off += BLOCK_SIZE) {
            int len = Math.min(BLOCK_SIZE, data.length - off);
            blocks.add(new BlockRef(off, len, Hash.sha256(data, off, len)));
        }
        return new FileRecord(path, FileType.FILE, data.length, mtime, 0644, version, false, 0, by.shortId(),
                BLOCK_SIZE, blocks, Hash.sha256(data), "");
    }

    public static FileRecord dir(String path, VersionVector version, NodeId by) {
        return new FileRecord(path, FileType.DIRECTORY, 0, MTIME, 0755, version, false, 0, by.shortId(), 0,
                List.of(), null, "");
    }

    public static FileRecord symlink(String path, String target, VersionVector version, NodeId by) {
        return new FileRecord(path, FileType.SYMLINK, 0, MTIME, 0777, version, false, 0, by.shortId(), 0,
                List.of(), null, target);
    }

    public static FileRecord deleted(FileRecord of, VersionVector version, NodeId by) {
        return of.asDeleted(version, 0, by.shortId(), MTIME + 1);
    }

    public static Hash blockHash(String block) {
        return Hash.sha256(block.getBytes(StandardCharsets.UTF_8));
    }
}
