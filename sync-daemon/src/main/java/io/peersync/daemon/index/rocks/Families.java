package io.peersync.daemon.index.rocks;

import java.util.List;
import org.rocksdb.ColumnFamilyHandle;

/** The open column family handles of one index database. */
record Families(ColumnFamilyHandle local, ColumnFamilyHandle seq, ColumnFamilyHandle remote,
                ColumnFamilyHandle global, ColumnFamilyHandle need, ColumnFamilyHandle blocks,
                ColumnFamilyHandle meta) {

    /** Names in the order of the record components; "default" is opened too but never used. */
    static final List<String> NAMES = List.of("local", "seq", "remote", "global", "need", "blocks", "meta");

    static Families of(List<ColumnFamilyHandle> handlesInNameOrder) {
        List<ColumnFamilyHandle> h = handlesInNameOrder;
        return new Families(h.get(0), h.get(1), h.get(2), h.get(3), h.get(4), h.get(5), h.get(6));
    }

    /** Families whose keys start with the 16 folder id bytes. */
    List<ColumnFamilyHandle> folderKeyed() {
        return List.of(local, seq, remote, global, need, blocks);
    }
}
