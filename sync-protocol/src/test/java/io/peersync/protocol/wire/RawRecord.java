package io.peersync.protocol.wire;

import io.peersync.protocol.FileRecord;
import io.peersync.protocol.Hash;
import java.util.List;

/**
 * The fields of {@link Samples#multiBlockFile()} as raw {@link RecordCodec} values, each open to corruption, written
 * by hand in the layout PROTOCOL.md documents. Numbers are longs so that hostile varints can be written too.
 */
final class RawRecord {
    private final FileRecord base = Samples.multiBlockFile();
    int format = RecordCodec.FORMAT_1;
    int type = 0;
    /** The flags byte; null to derive it from the fields below. */
    Integer flags;
    boolean deleted;
    String path = base.path();
    long size = base.size();
    long mtime = base.mtimeNanos();
    long mode = base.mode();
    long sequence = base.sequence();
    long modifiedBy = base.modifiedBy();
    long blockSize = base.blockSize();
    Long vectorCount;
    /** In the encoder's order: ascending signed node id. */
    long[][] counters = {{Samples.NODE_HIGH, 7}, {Samples.NODE_A, 3}, {Samples.NODE_B, 1}};
    byte[] fileHash = base.fileHash().bytes();
    Long blockCount;
    long[] blockSizes = base.blocks().stream().mapToLong(b -> b.size()).toArray();
    /** Each block's offset; null for the sums of the sizes before it. */
    long[] offsets;
    String target = "";
    /** SealCodec bytes, or null for an unsealed record. */
    byte[] seal;
    Long sealLength;
    long changeSet;
    long changeSetSize;

    byte[] toArray() {
        boolean inChangeSet = changeSet != 0 || changeSetSize != 0;
        int f = flags != null ? flags : (deleted ? 1 : 0) | (fileHash != null ? 2 : 0) | (seal != null ? 4 : 0)
                | (inChangeSet ? 8 : 0);
        Raw raw = new Raw().u8(format).u8(type).u8(f).vstr(path).varint(size).varint((mtime << 1) ^ (mtime >> 63))
                .varint(mode).varint(sequence).i64(modifiedBy).varint(blockSize);
        raw.varint(vectorCount != null ? vectorCount : counters.length);
        for (long[] c : counters) {
            raw.i64(c[0]).varint(c[1]);
        }
        if (fileHash != null) {
            raw.bytes(fileHash);
        }
        raw.varint(blockCount != null ? blockCount : blockSizes.length);
        List<Hash> hashes = base.blocks().stream().map(b -> b.hash()).toList();
        long offset = 0;
        for (int i = 0; i < blockSizes.length; i++) {
            raw.varint(offsets != null ? offsets[i] : offset).varint(blockSizes[i]);
            raw.bytes(hashes.get(i % hashes.size()).bytes());
            offset += blockSizes[i];
        }
        raw.vstr(target);
        if (seal != null) {
            raw.varint(sealLength != null ? sealLength : seal.length).bytes(seal);
        }
        if ((f & 8) != 0) {
            raw.i64(changeSet).varint(changeSetSize);
        }
        return raw.toArray();
    }
}
