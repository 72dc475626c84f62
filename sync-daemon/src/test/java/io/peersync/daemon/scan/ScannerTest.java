package io.peersync.daemon.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.daemon.fs.FaultyFolderFs;
import io.peersync.daemon.fs.FolderFs;
import io.peersync.daemon.fs.NioFolderFs;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.Hash;
import io.peersync.protocol.VersionVector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScannerTest {
    private static final int KIB = 1024;

    @TempDir
    Path root;
    FolderFs fs;
    /** Stands in for the index: path to the record the engine would have stored. */
    final TreeMap<String, FileRecord> index = new TreeMap<>();
    LocalLookup lookup = path -> Optional.ofNullable(index.get(path));
    final KnownFiles known = action -> new ArrayList<>(index.values()).forEach(action);
    final List<List<ScanChange>> batches = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        fs = NioFolderFs.init(root);
    }

    private Scanner scanner() {
        return scanner(b -> { });
    }

    private Scanner scanner(Consumer<ScanConfig.Builder> tweak) {
        ScanConfig.Builder b = ScanConfig.builder(fs, path -> lookup.local(path), known);
        tweak.accept(b);
        return new Scanner(b.build());
    }

    /** Scans and stores the results the way the engine would, returning the changes by path. */
    private Map<String, ScanChange> scan(Scanner scanner, String subtree) throws IOException {
        batches.clear();
        scanner.scan(subtree, batches::add);
        Map<String, ScanChange> changes = new TreeMap<>();
        for (List<ScanChange> batch : batches) {
            for (ScanChange c : batch) {
                changes.put(c.path(), c);
                if (c instanceof ScanChange.Changed ch) {
                    index.put(c.path(), ch.record());
                } else {
                    FileRecord k = ((ScanChange.Deleted) c).known();
                    index.put(c.path(), k.asDeleted(VersionVector.EMPTY.increment(1), 0, 0, 0));
                }
            }
        }
        return changes;
    }

    private Map<String, ScanChange> scan(Scanner scanner) throws IOException {
        return scan(scanner, "");
    }

    private static FileRecord changed(Map<String, ScanChange> changes, String path) {
        return assertInstanceOf(ScanChange.Changed.class, changes.get(path), path).record();
    }

    private byte[] write(String path, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.write(p, data);
        return data;
    }

    private void setMtime(String path, long seconds) throws IOException {
        Files.setLastModifiedTime(root.resolve(path), FileTime.fromMillis(seconds * 1000));
    }

    /** Block list computed independently, straight from the JDK digest. */
    private static void assertHashes(byte[] data, FileRecord r) {
        assertEquals(Hash.of(digest(data, 0, data.length)), r.fileHash());
        int bs = FileHasher.MIN_BLOCK_SIZE;
        List<BlockRef> expected = new ArrayList<>();
        for (int off = 0; off < data.length; off += bs) {
            int len = Math.min(bs, data.length - off);
            expected.add(new BlockRef(off, len, Hash.of(digest(data, off, len))));
        }
        assertEquals(expected, r.blocks());
        assertEquals(bs, r.blockSize());
    }

    private static byte[] digest(byte[] data, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, off, len);
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void reportsNewFileWithBlocksAndNoVersion() throws IOException {
        byte[] data = write("dir/new.bin", 300 * KIB, 1);
        Files.setAttribute(root.resolve("dir/new.bin"), "unix:mode", 0640);

        Map<String, ScanChange> changes = scan(scanner());

        assertEquals(Set.of("dir", "dir/new.bin"), changes.keySet());
        FileRecord r = changed(changes, "dir/new.bin");
        assertEquals(FileType.FILE, r.type());
        assertEquals(data.length, r.size());
        assertEquals(0640, r.mode());
        assertEquals(Files.getLastModifiedTime(root.resolve("dir/new.bin")).to(java.util.concurrent.TimeUnit.NANOSECONDS),
                r.mtimeNanos());
        assertEquals(VersionVector.EMPTY, r.version());
        assertEquals(0, r.sequence());
        assertEquals(0, r.modifiedBy());
        assertEquals(3, r.blocks().size());
        assertHashes(data, r);
    }

    @Test
    void splitsBlocksAtExactBoundaries() throws IOException {
        byte[] empty = write("empty", 0, 2);
        byte[] exact = write("exact", 128 * KIB, 3);
        byte[] plusOne = write("plus-one", 128 * KIB + 1, 4);

        Map<String, ScanChange> changes = scan(scanner());

        FileRecord e = changed(changes, "empty");
        assertEquals(List.of(), e.blocks());
        assertHashes(empty, e);
        FileRecord x = changed(changes, "exact");
        assertEquals(1, x.blocks().size());
        assertHashes(exact, x);
        FileRecord p = changed(changes, "plus-one");
        assertEquals(2, p.blocks().size());
        assertEquals(new BlockRef(128 * KIB, 1, Hash.sha256(plusOne, 128 * KIB, 1)), p.blocks().get(1));
        assertHashes(plusOne, p);
    }

    @Test
    void aFileLargerThanARecordCanDescribeIsSkippedAndTheRestIsScanned() throws IOException {
        write("small.bin", 10, 5);
        try (java.io.RandomAccessFile huge = new java.io.RandomAccessFile(root.resolve("huge.bin").toFile(), "rw")) {
            huge.setLength(FileHasher.MAX_FILE_SIZE + 1); // sparse: nothing is written, and the scanner reads none of it
        }

        Map<String, ScanChange> changes = scan(scanner());

        assertEquals(Set.of("small.bin"), changes.keySet());
        assertEquals(2L * 1024 * 1024 * 1024 * 1024, FileHasher.MAX_FILE_SIZE);
    }

    @Test
    void choosesBlockSizeBySize() {
        long mib = 1024 * 1024;
        assertEquals(128 * KIB, FileHasher.blockSizeFor(0));
        assertEquals(128 * KIB, FileHasher.blockSizeFor(256 * mib));
        assertEquals(256 * KIB, FileHasher.blockSizeFor(256 * mib + 1));
        assertEquals(256 * KIB, FileHasher.blockSizeFor(500 * mib));
        assertEquals(1024 * KIB, FileHasher.blockSizeFor(1024 * mib));
        assertEquals(16 * mib, FileHasher.blockSizeFor(32 * 1024 * mib));
        assertEquals(16 * mib, FileHasher.blockSizeFor(1024 * 1024 * mib));
    }

    @Test
    void doesNotRehashUnchangedFiles() throws IOException {
        write("a", 200 * KIB, 5);
        write("b/c", 10 * KIB, 6);
        Scanner scanner = scanner();
        scan(scanner);
        long hashed = scanner.hashedBytes();
        assertEquals(210 * KIB, hashed);

        Map<String, ScanChange> again = scan(scanner);

        assertEquals(Map.of(), again);
        assertEquals(hashed, scanner.hashedBytes(), "no byte read again");
    }

    @Test
    void rehashesFilesWhoseSizeOrMtimeChanged() throws IOException {
        write("grown", 10 * KIB, 7);
        write("touched", 10 * KIB, 8);
        write("same", 10 * KIB, 9);
        setMtime("touched", 1_600_000_000L);
        Scanner scanner = scanner();
        FileRecord before = changed(scan(scanner), "touched");

        byte[] grown = write("grown", 11 * KIB, 7);
        setMtime("touched", 1_600_000_001L);
        long hashed = scanner.hashedBytes();
        Map<String, ScanChange> changes = scan(scanner);

        assertEquals(Set.of("grown", "touched"), changes.keySet());
        assertHashes(grown, changed(changes, "grown"));
        FileRecord after = changed(changes, "touched");
        assertEquals(before.fileHash(), after.fileHash());
        assertEquals(1_600_000_001_000_000_000L, after.mtimeNanos());
        assertEquals(21 * KIB, scanner.hashedBytes() - hashed);
    }

    @Test
    void modeChangeAloneReusesTheBlocks() throws IOException {
        write("f", 50 * KIB, 10);
        Files.setAttribute(root.resolve("f"), "unix:mode", 0644);
        Scanner scanner = scanner();
        FileRecord before = changed(scan(scanner), "f");
        long hashed = scanner.hashedBytes();

        Files.setAttribute(root.resolve("f"), "unix:mode", 0755);
        FileRecord after = changed(scan(scanner), "f");

        assertEquals(0755, after.mode());
        assertEquals(before.blocks(), after.blocks());
        assertEquals(hashed, scanner.hashedBytes());
    }

    @Test
    void reportsDeletionsOfKnownPresentPaths() throws IOException {
        write("d/f", 1, 11);
        write("keep", 1, 12);
        Scanner scanner = scanner();
        scan(scanner);
        FileRecord knownF = index.get("d/f");

        Files.delete(root.resolve("d/f"));
        Files.delete(root.resolve("d"));
        Map<String, ScanChange> changes = scan(scanner);

        assertEquals(Set.of("d", "d/f"), changes.keySet());
        assertEquals(knownF, assertInstanceOf(ScanChange.Deleted.class, changes.get("d/f")).known());
        assertInstanceOf(ScanChange.Deleted.class, changes.get("d"));
        assertEquals(Map.of(), scan(scanner), "a tombstone is not deleted again");
    }

    @Test
    void reportsEmptyDirectoryWithModeAndMtime() throws IOException {
        Files.createDirectories(root.resolve("empty"));
        Files.setAttribute(root.resolve("empty"), "unix:mode", 02750);
        setMtime("empty", 1_500_000_000L);

        FileRecord r = changed(scan(scanner()), "empty");

        assertEquals(FileType.DIRECTORY, r.type());
        assertEquals(0750, r.mode(), "permission bits only: setgid stays local");
        assertEquals(1_500_000_000_000_000_000L, r.mtimeNanos());
        assertEquals(0, r.size());
        assertNull(r.fileHash());
    }

    @Test
    void directoryMtimeAloneIsNoChange() throws IOException {
        Files.createDirectories(root.resolve("d"));
        Scanner scanner = scanner();
        scan(scanner);
        setMtime("d", 1_400_000_000L);
        assertEquals(Map.of(), scan(scanner));
    }

    @Test
    void reportsSymlinksWithoutFollowingThem() throws IOException {
        write("target/inside", 5, 13);
        Files.createSymbolicLink(root.resolve("link"), Path.of("target"));
        Files.createSymbolicLink(root.resolve("escape"), Path.of("/nonexistent/peersync-test"));

        Map<String, ScanChange> changes = scan(scanner());

        FileRecord link = changed(changes, "link");
        assertEquals(FileType.SYMLINK, link.type());
        assertEquals("target", link.target());
        assertTrue(changes.keySet().stream().noneMatch(p -> p.startsWith("link/")), "not followed");
        assertTrue(!changes.containsKey("escape"), "a link out of the folder is not synced");

        Files.delete(root.resolve("link"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("target/inside"));
        assertEquals("target/inside", changed(scan(scanner()), "link").target());
    }

    @Test
    void subtreeScanLooksOnlyUnderItsPath() throws IOException {
        write("a/b/one", 1, 14);
        write("other", 1, 15);
        Scanner scanner = scanner();
        scan(scanner);

        write("a/b/two", 2, 16);
        write("a/new/three", 3, 17);
        write("other", 2, 18);
        Files.delete(root.resolve("a/b/one"));
        Map<String, ScanChange> changes = scan(scanner, "a/b");

        assertEquals(Set.of("a/b/one", "a/b/two"), changes.keySet());
        assertInstanceOf(ScanChange.Deleted.class, changes.get("a/b/one"));
        assertEquals(Set.of("a/new", "a/new/three"), scan(scanner, "a/new/three").keySet(),
                "a new parent of the subtree is reported too");
    }

    @Test
    void subtreeScanWidensToAVanishedParent() throws IOException {
        write("x/y/z", 1, 19);
        Scanner scanner = scanner();
        scan(scanner);

        Files.delete(root.resolve("x/y/z"));
        Files.delete(root.resolve("x/y"));
        Files.delete(root.resolve("x"));
        Map<String, ScanChange> changes = scan(scanner, "x/y/z");

        assertEquals(Set.of("x", "x/y", "x/y/z"), changes.keySet());
        assertTrue(changes.values().stream().allMatch(c -> c instanceof ScanChange.Deleted));
    }

    @Test
    void skipsIgnoredPathsAndNeverDeletesThem() throws IOException {
        write("keep", 1, 20);
        write("build/out.o", 1, 21);
        write("note.tmp", 1, 22);
        Predicate<String> ignored = p -> p.equals("build") || p.endsWith(".tmp");
        Scanner scanner = scanner(b -> b.ignored((path, directory) -> ignored.test(path)));

        assertEquals(Set.of("keep"), scan(scanner).keySet());

        index.put("old.tmp", new FileRecord("old.tmp", FileType.DIRECTORY, 0, 0, 0755, VersionVector.EMPTY, false, 0, 0,
                0, List.of(), null, ""));
        assertEquals(Map.of(), scan(scanner));
        assertEquals(Map.of(), scan(scanner, "build/out.o"));
    }

    @Test
    void deliversBatchesOfConfiguredSize() throws IOException {
        for (int i = 0; i < 5; i++) {
            write("f" + i, 10, i);
        }
        Scanner scanner = scanner(b -> b.batchEntries(2));
        scan(scanner);
        assertEquals(List.of(2, 2, 1), batches.stream().map(List::size).collect(Collectors.toList()));

        index.clear();
        Scanner byBytes = scanner(b -> b.batchHashedBytes(25));
        scan(byBytes);
        assertEquals(List.of(3, 2), batches.stream().map(List::size).collect(Collectors.toList()));
    }

    @Test
    void hashesInParallelWithTheSameResultsInWalkOrder() throws IOException {
        List<byte[]> data = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            data.add(write("p/f" + (char) ('a' + i), 50 * KIB + i, 100 + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Scanner scanner = scanner(b -> b.hashers(pool, 4));
            scan(scanner);
        } finally {
            pool.shutdownNow();
        }
        List<String> order = batches.stream().flatMap(List::stream).map(ScanChange::path).collect(Collectors.toList());
        List<String> expected = new ArrayList<>(List.of("p"));
        for (int i = 0; i < 20; i++) {
            expected.add("p/f" + (char) ('a' + i));
            assertHashes(data.get(i), index.get("p/f" + (char) ('a' + i)));
        }
        assertEquals(expected, order);
    }

    @Test
    void skipsAFileThatChangesWhileHashedAndAsksForARetry() throws IOException {
        write("busy", 64 * KIB, 23);
        LocalLookup plain = lookup;
        lookup = path -> {
            if (path.equals("busy")) {
                try {
                    Files.write(root.resolve("busy"), new byte[10], StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return plain.local(path);
        };
        List<List<ScanChange>> got = new ArrayList<>();
        ScanStats stats = scanner().scan(got::add);

        assertEquals(List.of(), got);
        assertEquals(Set.of("busy"), stats.retry());
        lookup = plain;
        assertEquals(64 * KIB + 10, changed(scan(scanner()), "busy").size());
    }

    @Test
    void reportsUnreadableFilesAsErrorsAndGoesOn() throws IOException {
        write("bad", 100, 24);
        write("dir/ok", 1, 25);
        FaultyFolderFs faulty = new FaultyFolderFs(fs);
        faulty.failReadsAfter(0, FaultyFolderFs.Fault.EIO);
        fs = faulty;
        List<List<ScanChange>> got = new ArrayList<>();
        ScanStats stats = scanner().scan(got::add);

        assertEquals(List.of("dir"), got.stream().flatMap(List::stream).map(ScanChange::path).collect(Collectors.toList()));
        assertEquals(2, stats.errors().size());
        assertTrue(stats.errors().get(0).contains("Input/output error"), stats.errors().toString());
    }

    @Test
    void refusesToScanWithoutTheFolderMarker() throws IOException {
        write("f", 1, 26);
        Scanner scanner = scanner();
        scan(scanner);
        Files.delete(root.resolve(".peersync/folder-marker"));
        Files.delete(root.resolve("f"));
        batches.clear();

        assertThrows(IOException.class, () -> scanner.scan(batches::add));
        assertEquals(List.of(), batches);
    }

    @Test
    void neverReportsTheInternalDirectory() throws IOException {
        Files.writeString(root.resolve(".peersync/tmp/partial"), "x");
        assertEquals(Map.of(), scan(scanner()));
    }
}
