package io.peersync.daemon.index.rocks;

import static io.peersync.daemon.index.Records.blockHash;
import static io.peersync.daemon.index.Records.file;
import static io.peersync.daemon.index.Records.version;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.daemon.index.BlockLocation;
import io.peersync.daemon.index.FolderCounts;
import io.peersync.daemon.index.IndexException;
import io.peersync.daemon.index.IndexStore;
import io.peersync.daemon.index.IndexStoreContractTest;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.wire.RecordCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RocksIndexStoreTest extends IndexStoreContractTest {

    @Override
    protected IndexStore open(Path dir) {
        return RocksIndexStore.open(dir);
    }

    @Test
    void reopenKeepsEverythingAndTheSequenceContinues() {
        FileRecord mine = store.commitLocal(F, List.of(file("a", "abcd", version(ME, 1), ME),
                file("b", "efgh", version(ME, 1), ME))).get(0);
        store.commitLocal(F, List.of(file("b", "efgX", version(ME, 2), ME)));
        FileRecord theirs = file("c", "wxyz", version(A, 1), A);
        store.applyRemote(F, A, List.of(theirs));
        store.putMeta("k", new byte[] {7});
        FolderCounts before = store.counts(F);
        store.close();

        store = open(dir);

        assertEquals(3, store.localSequence(F));
        assertEquals(mine, store.local(F, "a").orElseThrow());
        assertEquals(theirs, store.remote(F, A, "c").orElseThrow());
        assertEquals(List.of(theirs), store.need(F, "", 10));
        assertEquals(new BlockLocation("a", 0, 4), store.findBlock(F, blockHash("abcd")).orElseThrow());
        assertArrayEquals(new byte[] {7}, store.meta("k").orElseThrow());
        assertEquals(before, store.counts(F));
        FileRecord next = store.commitLocal(F, List.of(file("d", "d", version(ME, 1), ME))).get(0);
        assertEquals(4, next.sequence());
        assertEquals(List.of("a", "b", "d"), paths(store.localSince(F, 0, 10)));
    }

    @Test
    void removedNewestSequenceStaysTakenAfterReopen() {
        store.commitLocal(F, List.of(file("a", "abcd", version(ME, 1), ME), file("b", "efgh", version(ME, 1), ME)));
        store.removeLocal(F, List.of("b"));
        store.close();

        store = open(dir);

        assertEquals(2, store.localSequence(F));
        assertEquals(List.of("a"), paths(store.localSince(F, 0, 10)));
        assertEquals(3, store.commitLocal(F, List.of(file("c", "c", version(ME, 1), ME))).get(0).sequence());
        assertEquals(List.of("c"), paths(store.localSince(F, 1, 10)));
    }

    @Test
    void callsAfterCloseFailAndCloseTwiceIsHarmless() {
        store.close();
        store.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.local(F, "a"));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        store = open(dir);
    }

    @Test
    void secondOpenOfTheSameDirectoryFailsNamingTheStore() {
        IndexException e = assertThrows(IndexException.class, () -> RocksIndexStore.open(dir));
        assertTrue(e.getMessage().contains("index " + dir) && e.getMessage().contains("open"), e.getMessage());
    }

    /** A value that is not a record (a disk or a bug wrote it) fails the read as an IndexException naming both. */
    @Test
    void aCorruptRecordValueFailsTheReadNamingTheStoreAndTheFault() throws Exception {
        store.commitLocal(F, List.of(file("a", "abcd", version(ME, 1), ME)));
        store.close();
        try (RocksResources raw = RocksResources.open("raw", dir)) {
            raw.db().put(raw.families().local(), Keys.path(F.bytes(), "a"), new byte[] {RecordCodec.FORMAT_1, 0});
        }
        store = open(dir);
        IndexException e = assertThrows(IndexException.class, () -> store.local(F, "a"));
        assertTrue(e.getMessage().contains("local") && e.getMessage().contains("corrupt file record: truncated"),
                e.getMessage());
        assertThrows(IndexException.class, () -> store.localSince(F, 0, 10));
    }

    @Test
    void createsTheDirectoryWhenMissing() {
        Path nested = dir.resolve("x/y");
        try (IndexStore other = RocksIndexStore.open(nested)) {
            other.putMeta("k", new byte[0]);
        }
        assertTrue(Files.isDirectory(nested));
    }
}
