package io.peersync.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table of concurrent histories of one path on nodes A and B: for each, every order in which a third node can learn
 * the versions must end on the same global version (convergence), the expected one (the rule), and a version made on
 * top of another is never treated as a conflict.
 */
class ConflictRulesTest {
    private static final long A = 0x1111_0000_0000_0000L;
    private static final long B = 0x7777_0000_0000_0000L;
    private static final VersionVector BASE = VersionVector.EMPTY.increment(A);

    private static FileRecord edit(long node, VersionVector base, long mtime, String content) {
        Hash h = Hash.sha256(content.getBytes());
        return new FileRecord("wp-content/plugins/x.php", FileType.FILE, content.length(), mtime, 0644,
                base.increment(node), false, 0, node, 131072,
                List.of(new BlockRef(0, content.length(), h)), h, "");
    }

    private static FileRecord delete(long node, VersionVector base, long mtime) {
        return edit(node, base, mtime, "x").asDeleted(base.increment(node), 0, node, mtime);
    }

    static Stream<Arguments> histories() {
        FileRecord editA = edit(A, BASE, 200, "edit on A");
        FileRecord editB = edit(B, BASE, 100, "edit on B");
        FileRecord editBLater = edit(B, BASE, 300, "later edit on B");
        FileRecord editBSameTime = edit(B, BASE, 200, "edit on B at the same mtime");
        FileRecord deleteA = delete(A, BASE, 500);
        FileRecord deleteB = delete(B, BASE, 50);
        FileRecord onTopOfA = edit(B, editA.version(), 150, "B edits A's version");
        FileRecord deleteOnTopOfB = delete(A, editB.version(), 10);
        return Stream.of(
                Arguments.of("concurrent edits: newer mtime wins", List.of(editA, editB), editA),
                Arguments.of("concurrent edits: newer mtime wins (B)", List.of(editA, editBLater), editBLater),
                Arguments.of("concurrent edits, equal mtime: higher node id wins", List.of(editA, editBSameTime),
                        editBSameTime),
                Arguments.of("edit vs delete: the edit wins even when older", List.of(editB, deleteA), editB),
                Arguments.of("delete vs edit: the edit wins", List.of(deleteB, editA), editA),
                Arguments.of("both delete: one tombstone, same everywhere", List.of(deleteA, deleteB), deleteA),
                Arguments.of("rename on A (old path deleted) vs edit on B: the edit keeps the old path",
                        List.of(deleteA, editBLater), editBLater),
                Arguments.of("an edit built on the other's version is no conflict", List.of(editA, onTopOfA),
                        onTopOfA),
                Arguments.of("a delete built on the other's version is no conflict", List.of(editB, deleteOnTopOfB),
                        deleteOnTopOfB),
                Arguments.of("three-way: edits on A and B, then B edits on top of A", List.of(editA, editB, onTopOfA),
                        onTopOfA));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void everyOrderOfArrivalConvergesOnTheSameWinner(String name, List<FileRecord> versions, FileRecord expected) {
        for (List<FileRecord> order : permutations(versions)) {
            FileRecord global = null;
            for (FileRecord r : order) {
                if (global == null || Winner.replaces(r, global)) {
                    global = r;
                }
            }
            assertEquals(expected, global, name + " in order " + order.stream().map(FileRecord::version).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void onlyConcurrentVersionsAreConflicts(String name, List<FileRecord> versions, FileRecord expected) {
        for (FileRecord r : versions) {
            if (r == expected) {
                continue;
            }
            VersionVector.Order o = r.version().compare(expected.version());
            boolean conflict = o == VersionVector.Order.CONCURRENT;
            boolean ancestor = o == VersionVector.Order.LESSER;
            assertEquals(true, conflict || ancestor, name + ": a loser is either older or concurrent");
        }
    }

    private static List<List<FileRecord>> permutations(List<FileRecord> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<FileRecord>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<FileRecord> rest = new ArrayList<>(items);
            FileRecord head = rest.remove(i);
            for (List<FileRecord> tail : permutations(rest)) {
                List<FileRecord> p = new ArrayList<>();
                p.add(head);
                p.addAll(tail);
                out.add(Collections.unmodifiableList(p));
            }
        }
        return out;
    }
}
