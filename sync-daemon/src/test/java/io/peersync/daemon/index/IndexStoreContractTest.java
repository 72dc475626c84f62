package io.peersync.daemon.index;

import static io.peersync.daemon.index.Records.blockHash;
import static io.peersync.daemon.index.Records.deleted;
import static io.peersync.daemon.index.Records.dir;
import static io.peersync.daemon.index.Records.file;
import static io.peersync.daemon.index.Records.folder;
import static io.peersync.daemon.index.Records.node;
import static io.peersync.daemon.index.Records.version;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.Winner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link IndexStore} must do; subclasses say how to open one. */
public abstract class IndexStoreContractTest {
    protected static final FolderId F = folder(1);
    protected static final FolderId OTHER = folder(2);
    protected static final NodeId ME = node("me");
    protected static final NodeId A = node("peer-a");
    protected static final NodeId B = node("peer-b");

    @TempDir
    protected Path dir;
    protected IndexStore store;

    /** A fresh or existing store kept in {@code dir}. */
    protected abstract IndexStore open(Path dir);

    @BeforeEach
    void openStore() {
        store = open(dir);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void commitLocalAssignsIncreasingSequencesAndLocalSincePages() {
        List<FileRecord> stored = store.commitLocal(F, List.of(
                file("a", "aaaa", version(ME, 1), ME).withSequence(99),
                file("b", "bbbb", version(ME, 1), ME),
                dir("c", version(ME, 1), ME)));
        assertEquals(List.of(1L, 2L, 3L), stored.stream().map(FileRecord::sequence).toList());
        store.commitLocal(F, List.of(file("d", "dddd", version(ME, 1), ME)));

        assertEquals(4, store.localSequence(F));
        assertEquals(0, store.localSequence(OTHER));
        assertEquals(List.of("a", "b"), paths(store.localSince(F, 0, 2)));
        assertEquals(List.of("c", "d"), paths(store.localSince(F, 2, 10)));
        assertEquals(List.of(), store.localSince(F, 4, 10));
        assertEquals(stored.get(0), store.local(F, "a").orElseThrow());
    }

    @Test
    void laterLocalChangeMovesItsPathToTheNewSequence() {
        store.commitLocal(F, List.of(file("a", "one", version(ME, 1), ME), file("b", "bbb", version(ME, 1), ME)));
        store.commitLocal(F, List.of(file("a", "two", version(ME, 2), ME)));

        List<FileRecord> all = store.localSince(F, 0, 10);
        assertEquals(List.of("b", "a"), paths(all));
        assertEquals(List.of(2L, 3L), all.stream().map(FileRecord::sequence).toList());
        assertEquals(version(ME, 2), store.local(F, "a").orElseThrow().version());
    }

    @Test
    void samePathTwiceInOneCommitKeepsTheLast() {
        List<FileRecord> stored = store.commitLocal(F, List.of(
                file("a", "one", version(ME, 1), ME), file("a", "two", version(ME, 2), ME)));

        assertEquals(2, stored.size());
        assertEquals(List.of(stored.get(1)), store.localSince(F, 0, 10));
        assertEquals(Optional.empty(), store.findBlock(F, blockHash("one")));
        assertEquals("a", store.findBlock(F, blockHash("two")).orElseThrow().path());
    }

    @Test
    void forEachLocalStreamsInPathOrderWithChildrenAfterTheirDirectory() {
        store.commitLocal(F, List.of(file("b.txt", "b", version(ME, 1), ME), dir("a", version(ME, 1), ME),
                file("a/z", "z", version(ME, 1), ME), file("a/b", "b", version(ME, 1), ME)));
        store.commitLocal(OTHER, List.of(file("x", "x", version(ME, 1), ME)));
        List<String> seen = new ArrayList<>();

        store.forEachLocal(F, r -> seen.add(r.path()));

        assertEquals(List.of("a", "a/b", "a/z", "b.txt"), seen);
    }

    @Test
    void globalPicksTheNewerRemoteVersion() {
        FileRecord mine = file("f", "mine", version(ME, 1), ME);
        store.commitLocal(F, List.of(mine));
        FileRecord theirs = file("f", "theirs", version(ME, 1, A, 1), A);

        store.applyRemote(F, A, List.of(theirs));

        assertEquals(theirs, store.global(F, "f").orElseThrow());
        assertEquals(theirs, store.remote(F, A, "f").orElseThrow());
        assertEquals(Optional.empty(), store.remote(F, B, "f"));
    }

    @Test
    void olderRemoteDoesNotReplaceLocalGlobal() {
        FileRecord mine = store.commitLocal(F, List.of(file("f", "mine", version(ME, 2), ME))).get(0);

        store.applyRemote(F, A, List.of(file("f", "old", version(ME, 1), ME)));

        assertEquals(mine, store.global(F, "f").orElseThrow());
        assertEquals(List.of(), store.need(F, "", 10));
    }

    @Test
    void concurrentVersionsAreResolvedByWinnerWhateverTheArrivalOrder() {
        FileRecord older = file("f", "older", version(ME, 1), ME, Records.MTIME);
        FileRecord newer = file("f", "newer", version(A, 1), A, Records.MTIME + 1_000_000);
        assertTrue(Winner.replaces(newer, older));

        store.commitLocal(F, List.of(older));
        store.applyRemote(F, A, List.of(newer));
        store.commitLocal(OTHER, List.of(newer));
        store.applyRemote(OTHER, A, List.of(older));

        assertEquals(newer, store.global(F, "f").orElseThrow());
        assertEquals(List.of(newer), store.need(F, "", 10));
        assertEquals(newer.version(), store.global(OTHER, "f").orElseThrow().version());
        assertEquals(List.of(), store.need(OTHER, "", 10));
    }

    @Test
    void oneVersionOfTwoContentsIsNeededByTheLoserAndPeersHavingMatchContent() {
        // A node restored from a snapshot reissued {A:1} for other content: both sides must see a difference.
        FileRecord mine = file("f", "mine", version(A, 1), A, Records.MTIME);
        FileRecord theirs = file("f", "theirs", version(A, 1), A, Records.MTIME + 1_000_000);
        store.commitLocal(F, List.of(mine));
        store.applyRemote(F, A, List.of(theirs));
        store.commitLocal(OTHER, List.of(theirs));
        store.applyRemote(OTHER, A, List.of(mine));

        assertEquals(List.of(theirs), store.need(F, "", 10));
        assertEquals(List.of(), store.need(OTHER, "", 10));
        assertEquals(java.util.Set.of(A), store.peersHaving(F, theirs));
        assertEquals(java.util.Set.of(), store.peersHaving(F, mine));
    }

    @Test
    void aPeerThatNowHoldsOtherContentUnderTheSameVersionReplacesItsRecord() {
        FileRecord before = file("f", "before", version(A, 1), A);
        FileRecord after = file("f", "after", version(A, 1), A);
        store.applyRemote(F, A, List.of(before));
        store.applyRemote(F, A, List.of(after));

        assertEquals(after, store.remote(F, A, "f").orElseThrow());
    }

    @Test
    void modificationBeatsConcurrentDeletion() {
        FileRecord base = file("f", "base", version(ME, 1), ME);
        store.commitLocal(F, List.of(base));
        FileRecord edit = file("f", "edit", version(ME, 1, A, 1), A);
        store.applyRemote(F, A, List.of(edit));

        store.commitLocal(F, List.of(deleted(base, version(ME, 2), ME)));

        assertEquals(edit, store.global(F, "f").orElseThrow());
        assertEquals(List.of(edit), store.need(F, "", 10));
    }

    @Test
    void needAppearsForNewerRemoteAndGoesWhenLocalCommitsThatVersion() {
        store.commitLocal(F, List.of(file("f", "v1", version(ME, 1), ME)));
        FileRecord v2 = file("f", "v2", version(ME, 1, A, 1), A);
        FileRecord fresh = file("g", "new", version(A, 1), A);
        store.applyRemote(F, A, List.of(v2, fresh));
        assertEquals(List.of(v2, fresh), store.need(F, "", 10));

        store.commitLocal(F, List.of(v2));

        assertEquals(List.of(fresh), store.need(F, "", 10));
        assertEquals(v2.version(), store.global(F, "f").orElseThrow().version());
        assertEquals(v2.withSequence(2), store.global(F, "f").orElseThrow());
    }

    @Test
    void needPagesAfterAPath() {
        List<FileRecord> remote = new ArrayList<>();
        for (String p : List.of("a", "a/x", "b", "c")) {
            remote.add(file(p, p, version(A, 1), A));
        }
        store.applyRemote(F, A, remote);

        assertEquals(List.of("a", "a/x"), paths(store.need(F, "", 2)));
        assertEquals(List.of("b", "c"), paths(store.need(F, "a/x", 2)));
        assertEquals(List.of("b", "c"), paths(store.need(F, "a/y", 10)));
        assertEquals(List.of(), store.need(F, "c", 10));
    }

    @Test
    void deletedGlobalIsNotNeededWithoutLocalButIsNeededOverALocalFile() {
        FileRecord gone = file("gone", "x", version(A, 1), A);
        FileRecord mine = file("mine", "x", version(ME, 1), ME);
        store.commitLocal(F, List.of(mine));

        store.applyRemote(F, A, List.of(deleted(gone, version(A, 2), A), deleted(mine, version(ME, 1, A, 1), A)));

        assertTrue(store.global(F, "gone").orElseThrow().deleted());
        assertEquals(List.of("mine"), paths(store.need(F, "", 10)));
        assertTrue(store.need(F, "", 10).get(0).deleted());
    }

    @Test
    void peersHavingListsPeersWithExactlyThatVersion() {
        FileRecord v1 = file("f", "v1", version(A, 1), A);
        FileRecord v2 = file("f", "v2", version(A, 2), A);
        store.applyRemote(F, A, List.of(v2));
        store.applyRemote(F, B, List.of(v1));
        NodeId c = node("peer-c");
        store.applyRemote(F, c, List.of(v2));
        store.applyRemote(F, node("peer-d"), List.of(file("f/child", "x", version(A, 2), A)));

        assertEquals(Set.of(A, c), store.peersHaving(F, v2));
        assertEquals(Set.of(B), store.peersHaving(F, v1));
        assertEquals(Set.of(), store.peersHaving(F, deleted(v2, version(A, 2), A)));
        assertEquals(Set.of(), store.peersHaving(OTHER, v2));
    }

    @Test
    void staleOrRepeatedRemoteRecordIsIgnored() {
        FileRecord v2 = file("f", "v2", version(A, 2), A);
        store.applyRemote(F, A, List.of(v2));

        store.applyRemote(F, A, List.of(file("f", "v1", version(A, 1), A)));
        store.applyRemote(F, A, List.of(v2.withSequence(5)));

        assertEquals(v2, store.remote(F, A, "f").orElseThrow());
        assertEquals(v2, store.global(F, "f").orElseThrow());
    }

    @Test
    void peerReplacingItsRecordWithALosingConcurrentOneDoesNotLeaveAGhostGlobal() {
        FileRecord high = file("f", "high", version(A, 1), A, Records.MTIME + 10);
        FileRecord mine = store.commitLocal(F, List.of(file("f", "mine", version(ME, 1), ME, Records.MTIME + 5)))
                .get(0);
        store.applyRemote(F, A, List.of(high));
        assertEquals(high, store.global(F, "f").orElseThrow());

        FileRecord low = file("f", "low", version(B, 1), A, Records.MTIME);
        store.applyRemote(F, A, List.of(low));

        assertEquals(low, store.remote(F, A, "f").orElseThrow());
        assertEquals(mine, store.global(F, "f").orElseThrow());
        assertEquals(List.of(), store.need(F, "", 10));
    }

    @Test
    void blocksAreFindableAndGoWhenTheFileChangesOrIsDeleted() {
        FileRecord f = store.commitLocal(F, List.of(file("dir/f", "abcdefgh", version(ME, 1), ME))).get(0);
        assertEquals(new BlockLocation("dir/f", 4, 4), store.findBlock(F, blockHash("efgh")).orElseThrow());
        assertEquals(Optional.empty(), store.findBlock(OTHER, blockHash("efgh")));
        store.applyRemote(F, A, List.of(file("remote-only", "zzzz", version(A, 1), A)));
        assertEquals(Optional.empty(), store.findBlock(F, blockHash("zzzz")));

        store.commitLocal(F, List.of(file("dir/f", "abcdWXYZ", version(ME, 2), ME)));
        assertEquals(Optional.empty(), store.findBlock(F, blockHash("efgh")));
        assertEquals(new BlockLocation("dir/f", 0, 4), store.findBlock(F, blockHash("abcd")).orElseThrow());
        assertEquals(new BlockLocation("dir/f", 4, 4), store.findBlock(F, blockHash("WXYZ")).orElseThrow());

        store.commitLocal(F, List.of(deleted(f, version(ME, 3), ME)));
        assertEquals(Optional.empty(), store.findBlock(F, blockHash("abcd")));
    }

    @Test
    void countsLocalGlobalAndNeed() {
        FileRecord gone = file("gone", "12345", version(ME, 1), ME);
        store.commitLocal(F, List.of(dir("d", version(ME, 1), ME), file("d/a", "123", version(ME, 1), ME),
                file("b", "1234567", version(ME, 1), ME), gone));
        store.commitLocal(F, List.of(deleted(gone, version(ME, 2), ME)));
        store.applyRemote(F, A, List.of(file("b", "12", version(ME, 1, A, 1), A),
                file("c", "1234", version(A, 1), A), dir("e", version(A, 1), A)));

        FolderCounts c = store.counts(F);

        assertEquals(new FolderCounts(2, 10, 3, 9, 2, 6), c);
        assertEquals(new FolderCounts(0, 0, 0, 0, 0, 0), store.counts(OTHER));
    }

    @Test
    void dropFolderRemovesEverythingOfThatFolderOnly() {
        for (FolderId f : List.of(F, OTHER)) {
            store.commitLocal(f, List.of(file("x", "abcd", version(ME, 1), ME)));
            store.applyRemote(f, A, List.of(file("y", "efgh", version(A, 1), A)));
            store.putMeta(f.value() + "/peer-seq", new byte[] {1});
        }
        store.putMeta("node-wide", new byte[] {2});

        store.dropFolder(F);

        assertEquals(Optional.empty(), store.local(F, "x"));
        assertEquals(Optional.empty(), store.remote(F, A, "y"));
        assertEquals(Optional.empty(), store.global(F, "y"));
        assertEquals(List.of(), store.need(F, "", 10));
        assertEquals(List.of(), store.localSince(F, 0, 10));
        assertEquals(0, store.localSequence(F));
        assertEquals(Optional.empty(), store.findBlock(F, blockHash("abcd")));
        assertEquals(Optional.empty(), store.meta(F.value() + "/peer-seq"));
        assertEquals(new FolderCounts(0, 0, 0, 0, 0, 0), store.counts(F));

        assertEquals(new FolderCounts(1, 4, 2, 8, 1, 4), store.counts(OTHER));
        assertEquals("x", store.findBlock(OTHER, blockHash("abcd")).orElseThrow().path());
        assertArrayEquals(new byte[] {1}, store.meta(OTHER.value() + "/peer-seq").orElseThrow());
        assertArrayEquals(new byte[] {2}, store.meta("node-wide").orElseThrow());
    }

    @Test
    void removeLocalMakesTheGlobalVersionNeededAgain() {
        FileRecord theirs = file("f", "theirs", version(A, 1), A);
        store.applyRemote(F, A, List.of(theirs));
        store.commitLocal(F, List.of(theirs));
        // A local edit of a read-only folder: newer than anything a peer has.
        FileRecord edit = store.commitLocal(F, List.of(file("f", "local edit", version(A, 1, ME, 1), ME))).get(0);
        assertEquals(edit, store.global(F, "f").orElseThrow());
        assertEquals(List.of(), store.need(F, "", 10));

        store.removeLocal(F, List.of("f"));

        assertEquals(Optional.empty(), store.local(F, "f"));
        assertEquals(theirs, store.global(F, "f").orElseThrow());
        assertEquals(List.of(theirs), store.need(F, "", 10));
        assertEquals(Optional.empty(), store.findBlock(F, blockHash("loca")));
        assertEquals(new FolderCounts(0, 0, 1, 6, 1, 6), store.counts(F));
        assertEquals(List.of(), store.localSince(F, 0, 10));
    }

    @Test
    void removeLocalOfAPathNoPeerHasForgetsItEntirely() {
        store.commitLocal(F, List.of(file("mine", "abcd", version(ME, 1), ME), file("keep", "efgh", version(ME, 1), ME)));

        store.removeLocal(F, List.of("mine", "never-there"));

        assertEquals(Optional.empty(), store.local(F, "mine"));
        assertEquals(Optional.empty(), store.global(F, "mine"));
        assertEquals(List.of(), store.need(F, "", 10));
        assertEquals(Optional.empty(), store.findBlock(F, blockHash("abcd")));
        assertEquals("keep", store.local(F, "keep").orElseThrow().path());
        assertEquals(List.of("keep"), paths(store.localSince(F, 0, 10)));
    }

    @Test
    void removeLocalOfAnUnknownPathChangesNothing() {
        store.commitLocal(F, List.of(file("a", "abcd", version(ME, 1), ME)));

        store.removeLocal(F, List.of("b"));
        store.removeLocal(OTHER, List.of("a"));
        store.removeLocal(F, List.of());

        assertEquals(1, store.localSequence(F));
        assertEquals(List.of("a"), paths(store.localSince(F, 0, 10)));
        assertEquals(0, store.localSequence(OTHER));
    }

    @Test
    void sequencesNeverGoBackWhenTheNewestLocalRecordIsRemoved() {
        store.commitLocal(F, List.of(file("a", "aaaa", version(ME, 1), ME), file("b", "bbbb", version(ME, 1), ME)));

        store.removeLocal(F, List.of("b"));

        assertEquals(2, store.localSequence(F), "the removed record's sequence stays taken");
        assertEquals(List.of("a"), paths(store.localSince(F, 0, 10)));
        assertEquals(List.of(), store.localSince(F, 1, 10), "the placeholder is skipped");
        FileRecord c = store.commitLocal(F, List.of(file("c", "cccc", version(ME, 1), ME))).get(0);
        assertEquals(3, c.sequence());
        assertEquals(List.of("a", "c"), paths(store.localSince(F, 0, 10)));
        assertEquals(List.of(c), store.localSince(F, 1, 10));
        assertEquals(List.of(c), store.localSince(F, 2, 10));
        // A peer that had seen up to 2 must still get what came after: the placeholder does not use up the page.
        assertEquals(List.of(c), store.localSince(F, 1, 1));
    }

    @Test
    void sequencesStayIncreasingAcrossRepeatedRemovalsOfTheNewest() {
        store.commitLocal(F, List.of(file("a", "aaaa", version(ME, 1), ME)));
        store.commitLocal(F, List.of(file("b", "bbbb", version(ME, 1), ME)));
        store.removeLocal(F, List.of("b"));
        FileRecord b2 = store.commitLocal(F, List.of(file("b", "bbbb", version(ME, 1), ME))).get(0);
        assertEquals(3, b2.sequence());
        store.removeLocal(F, List.of("a", "b"));

        assertEquals(3, store.localSequence(F));
        assertEquals(List.of(), store.localSince(F, 0, 10));
        assertEquals(4, store.commitLocal(F, List.of(file("a", "aaaa", version(ME, 1), ME))).get(0).sequence());
        assertEquals(List.of("a"), paths(store.localSince(F, 0, 10)));
    }

    @Test
    void removingAnOlderRecordLeavesNoPlaceholderBehind() {
        store.commitLocal(F, List.of(file("a", "aaaa", version(ME, 1), ME), file("b", "bbbb", version(ME, 1), ME)));

        store.removeLocal(F, List.of("a"));

        assertEquals(2, store.localSequence(F));
        assertEquals(List.of("b"), paths(store.localSince(F, 0, 10)));
        assertEquals(3, store.commitLocal(F, List.of(file("a", "aaaa", version(ME, 1), ME))).get(0).sequence());
        assertEquals(List.of("b", "a"), paths(store.localSince(F, 0, 10)));
    }

    @Test
    void dropFolderAlsoForgetsSequencePlaceholders() {
        store.commitLocal(F, List.of(file("a", "aaaa", version(ME, 1), ME)));
        store.removeLocal(F, List.of("a"));

        store.dropFolder(F);

        assertEquals(0, store.localSequence(F));
        assertEquals(1, store.commitLocal(F, List.of(file("a", "aaaa", version(ME, 1), ME))).get(0).sequence());
    }

    @Test
    void sealedRecordsAreStoredWithTheirSeal() {
        FileRecord sealed = file("f", "abcdefgh", version(A, 1), A).withSealed(new io.peersync.protocol.SealedInfo(
                "AB/CD/EFGH", 64, List.of(blockHash("w"), blockHash("x")), blockHash("y"), new byte[64], new byte[] {7}));
        FileRecord mine = store.commitLocal(F, List.of(sealed)).get(0);
        store.applyRemote(F, A, List.of(sealed));

        assertEquals(sealed.sealed(), store.local(F, "f").orElseThrow().sealed());
        assertEquals(sealed, store.remote(F, A, "f").orElseThrow());
        assertEquals(mine, store.global(F, "f").orElseThrow());
        assertEquals(List.of(mine), store.localSince(F, 0, 10));
    }

    @Test
    void metaRoundTripsAndOverwrites() {
        assertEquals(Optional.empty(), store.meta("k"));
        store.putMeta("k", new byte[] {1, 2});
        store.putMeta("k", new byte[] {3});
        assertArrayEquals(new byte[] {3}, store.meta("k").orElseThrow());
    }

    @Test
    void concurrentCommitsGetDistinctContiguousSequences() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        store.commitLocal(F, List.of(file("t" + thread + "/" + i, "x" + i, version(ME, 1), ME)));
                        store.applyRemote(F, A, List.of(file("t" + thread + "/" + i, "y", version(ME, 1, A, 1), A)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<FileRecord> all = store.localSince(F, 0, 1000);
        assertEquals(100, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i).sequence());
        }
        assertEquals(100, store.need(F, "", 1000).size());
    }

    protected static List<String> paths(List<FileRecord> records) {
        return records.stream().map(FileRecord::path).toList();
    }
}
