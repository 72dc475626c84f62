package io.peersync.protocol;

import java.util.List;

/**
 * What a node knows of one path of a shared folder: its kind, metadata, version and block list.
 * Deleted paths keep a record (a tombstone) so that the deletion itself can sync.
 *
 * @param path       folder-relative, '/'-separated, validated by {@link FolderPath}
 * @param mtimeNanos modification time, nanoseconds since the epoch
 * @param mode       POSIX permission bits (0 to 07777)
 * @param sequence   the announcing node's local change counter for this record; ordering only
 * @param modifiedBy short id of the node that made this version
 * @param fileHash   SHA-256 of the whole content; null for directories, symlinks and tombstones
 * @param target     symlink target, folder-relative; empty otherwise
 * @param sealed     the folder key's signature and encrypted view of this version; null until sealed
 * @param changeSet  id of the change set this version was made in (files that changed together on their source
 *                   land together on every peer); 0 for none
 * @param changeSetSize how many records that change set has; 0 or 1 for a lone change
 */
public record FileRecord(
        String path,
        FileType type,
        long size,
        long mtimeNanos,
        int mode,
        VersionVector version,
        boolean deleted,
        long sequence,
        long modifiedBy,
        int blockSize,
        List<BlockRef> blocks,
        Hash fileHash,
        String target,
        SealedInfo sealed,
        long changeSet,
        int changeSetSize) {

    /** Most change sets are small; this bounds what a receiver must hold back before applying one. */
    public static final int MAX_CHANGE_SET = 10_000;

    /** A record outside any change set. */
    public FileRecord(String path, FileType type, long size, long mtimeNanos, int mode, VersionVector version,
                      boolean deleted, long sequence, long modifiedBy, int blockSize, List<BlockRef> blocks,
                      Hash fileHash, String target, SealedInfo sealed) {
        this(path, type, size, mtimeNanos, mode, version, deleted, sequence, modifiedBy, blockSize, blocks, fileHash,
                target, sealed, 0, 0);
    }

    /** An unsealed record (a scan result, or a test value). */
    public FileRecord(String path, FileType type, long size, long mtimeNanos, int mode, VersionVector version,
                      boolean deleted, long sequence, long modifiedBy, int blockSize, List<BlockRef> blocks,
                      Hash fileHash, String target) {
        this(path, type, size, mtimeNanos, mode, version, deleted, sequence, modifiedBy, blockSize, blocks, fileHash,
                target, null);
    }

    public FileRecord {
        FolderPath.validate(path);
        if (changeSetSize < 0 || changeSetSize > MAX_CHANGE_SET) {
            throw new IllegalArgumentException("change set size: " + changeSetSize + " (expected: 0 to "
                    + MAX_CHANGE_SET + ")");
        }
        if (type == null || version == null || blocks == null || target == null) {
            throw new IllegalArgumentException("file record of " + path + ": null field");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
        }
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode: " + Integer.toOctalString(mode) + " (expected: 0 to 7777 octal)");
        }
        blocks = List.copyOf(blocks);
        if (type == FileType.FILE && !deleted) {
            long expected = 0;
            for (BlockRef b : blocks) {
                if (b.offset() != expected) {
                    throw new IllegalArgumentException("block offsets of " + path + " are not contiguous at " + expected);
                }
                expected += b.size();
            }
            if (expected != size) {
                throw new IllegalArgumentException("blocks of " + path + " cover " + expected + " bytes (expected: " + size + ")");
            }
            if (fileHash == null) {
                throw new IllegalArgumentException("file record of " + path + ": no file hash");
            }
        }
    }

    /** A tombstone that supersedes this record. */
    public FileRecord asDeleted(VersionVector newVersion, long newSequence, long by, long nowNanos) {
        return new FileRecord(path, type, 0, nowNanos, mode, newVersion, true, newSequence, by, 0, List.of(), null, "");
    }

    public FileRecord withSequence(long newSequence) {
        return new FileRecord(path, type, size, mtimeNanos, mode, version, deleted, newSequence, modifiedBy,
                blockSize, blocks, fileHash, target, sealed, changeSet, changeSetSize);
    }

    public FileRecord withSealed(SealedInfo seal) {
        return new FileRecord(path, type, size, mtimeNanos, mode, version, deleted, sequence, modifiedBy,
                blockSize, blocks, fileHash, target, seal, changeSet, changeSetSize);
    }

    /** This record under another version (the same content, e.g. a resolved conflict's merged version). */
    public FileRecord withVersion(VersionVector newVersion) {
        return new FileRecord(path, type, size, mtimeNanos, mode, newVersion, deleted, sequence, modifiedBy,
                blockSize, blocks, fileHash, target, sealed, changeSet, changeSetSize);
    }

    public FileRecord withChangeSet(long id, int setSize) {
        return new FileRecord(path, type, size, mtimeNanos, mode, version, deleted, sequence, modifiedBy,
                blockSize, blocks, fileHash, target, sealed, id, setSize);
    }

    /** True when content and metadata (not the version or sequence) are the same. */
    public boolean sameContent(FileRecord o) {
        return type == o.type && deleted == o.deleted && size == o.size && mode == o.mode
                && java.util.Objects.equals(fileHash, o.fileHash) && target.equals(o.target)
                && (type != FileType.FILE || mtimeNanos / 1_000_000 == o.mtimeNanos / 1_000_000);
    }
}
