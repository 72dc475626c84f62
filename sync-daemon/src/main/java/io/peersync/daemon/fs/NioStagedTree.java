package io.peersync.daemon.fs;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import io.peersync.protocol.FolderPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.TreeSet;

/** {@link StagedTree} on a real disk: hard links for unchanged files, {@code renameat2} for the swap. */
final class NioStagedTree implements StagedTree {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final NioFolderFs fs;
    private final String dir;
    private final Path live;
    private final Path staged;
    private final TreeSet<Path> touchedDirs = new TreeSet<>();
    private boolean swapped;
    /** The files the copy hard-linked, by relative path, with the inode each was then. */
    private final java.util.Map<String, Object> links = new java.util.HashMap<>();
    /** The relative paths the set changed, and those it deleted, once {@link #keepLocalWrites} ran. */
    private java.util.Set<String> changedBySet;
    private java.util.Set<String> deletedBySet;

    NioStagedTree(NioFolderFs fs, String dir, Path live, Path staged) {
        this.fs = fs;
        this.dir = dir;
        this.live = live;
        this.staged = staged;
    }

    /**
     * Mirrors the live directory: directories with their owner, group, extended attributes (ACLs included) and mode
     * (setgid included), files and special files (FIFOs, sockets, devices) as hard links, symlinks as symlinks.
     * Throws when any of it cannot be reproduced (the set is then applied without a swap, in the live directory).
     */
    void copyLive() throws IOException {
        Files.walkFileTree(live, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Path target = staged.resolve(live.relativize(d).toString());
                Files.createDirectories(target);
                copyDirectoryState(d, target);
                touchedDirs.add(target);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Path target = staged.resolve(live.relativize(f).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(f));
                } else {
                    Files.createLink(target, f);
                    links.put(staged.relativize(target).toString(), attrs.fileKey());
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Owner and group first (chown may clear setgid), then extended attributes and ACLs, then the mode bits. */
    private static void copyDirectoryState(Path from, Path to) throws IOException {
        java.util.Map<String, Object> a = Files.readAttributes(from, "unix:uid,gid,mode", NOFOLLOW);
        java.util.Map<String, Object> b = Files.readAttributes(to, "unix:uid,gid", NOFOLLOW);
        if (!a.get("uid").equals(b.get("uid"))) {
            Files.setAttribute(to, "unix:uid", a.get("uid"), NOFOLLOW);
        }
        if (!a.get("gid").equals(b.get("gid"))) {
            Files.setAttribute(to, "unix:gid", a.get("gid"), NOFOLLOW);
        }
        Xattrs.copy(from, to);
        NioFolderFs.copyModeOf(to, (Integer) a.get("mode"));
    }

    @Override
    public int keepLocalWrites(java.util.Set<String> changedBySet, java.util.Set<String> deletedBySet)
            throws IOException {
        if (!swapped) {
            throw new IllegalStateException("keepLocalWrites before swap");
        }
        boolean first = this.changedBySet == null;
        this.changedBySet = java.util.Set.copyOf(changedBySet);
        this.deletedBySet = java.util.Set.copyOf(deletedBySet);
        int kept = 0;
        // The old tree now lies at the staged path. What is in it but not in the new tree was written by someone
        // else while the set was staged (or, through an open handle, since): it moves into the new tree.
        java.util.List<Path> oldEntries = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> all = Files.walk(staged)) {
            all.filter(p -> !p.equals(staged)).forEach(oldEntries::add);
        }
        java.util.Set<String> inOld = new java.util.HashSet<>();
        for (Path old : oldEntries) {
            String rel = staged.relativize(old).toString();
            inOld.add(rel);
            if (this.changedBySet.contains(rel) || insideDeleted(rel) || !Files.exists(old, NOFOLLOW)) {
                continue;
            }
            Path now = live.resolve(rel);
            if (Files.isDirectory(old, NOFOLLOW)) {
                if (!Files.exists(now, NOFOLLOW)) {
                    Files.createDirectories(now);
                    copyDirectoryState(old, now);
                    kept++;
                }
                continue;
            }
            if (sameEntry(old, now) || Files.isDirectory(now, NOFOLLOW)) {
                continue;
            }
            Files.createDirectories(now.getParent());
            Files.move(old, now, StandardCopyOption.ATOMIC_MOVE);
            kept++;
        }
        if (first) {
            // A file the copy linked that the old tree no longer has was deleted by someone else before the swap.
            for (java.util.Map.Entry<String, Object> linked : links.entrySet()) {
                String rel = linked.getKey();
                Path now = live.resolve(rel);
                if (!inOld.contains(rel) && !this.changedBySet.contains(rel) && Files.exists(now, NOFOLLOW)
                        && linked.getValue().equals(fileKey(now))) {
                    Files.delete(now);
                    kept++;
                }
            }
        }
        return kept;
    }

    /** True when the set deleted {@code rel}'s directory, or one above it, with what was left in it. */
    private boolean insideDeleted(String rel) {
        for (int slash = rel.lastIndexOf('/'); slash > 0; slash = rel.lastIndexOf('/', slash - 1)) {
            if (deletedBySet.contains(rel.substring(0, slash))) {
                return true;
            }
        }
        return false;
    }

    /** The same file (one inode), or two symlinks to the same target. */
    private static boolean sameEntry(Path a, Path b) throws IOException {
        if (!Files.exists(b, NOFOLLOW)) {
            return false;
        }
        if (Files.isSymbolicLink(a) && Files.isSymbolicLink(b)) {
            return Files.readSymbolicLink(a).equals(Files.readSymbolicLink(b));
        }
        return fileKey(a).equals(fileKey(b));
    }

    private static Object fileKey(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW).fileKey();
    }

    @Override
    public String directory() {
        return dir;
    }

    private Path at(String relative) {
        FolderPath.validate(relative);
        return staged.resolve(relative);
    }

    private void parents(Path p) throws IOException {
        Path parent = p.getParent();
        if (!Files.isDirectory(parent, NOFOLLOW)) {
            Files.createDirectories(parent);
        }
        touchedDirs.add(parent);
    }

    @Override
    public void put(String relative, String tempName) throws IOException {
        Path target = at(relative);
        parents(target);
        if (Files.isDirectory(target, NOFOLLOW)) {
            throw new IOException("staged " + relative + " is a directory (expected: a file)");
        }
        Files.move(fs.tempPath(tempName), target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void mkdirs(String relative, int mode) throws IOException {
        Path target = at(relative);
        if (Files.exists(target, NOFOLLOW) && !Files.isDirectory(target, NOFOLLOW)) {
            Files.delete(target);
        }
        Files.createDirectories(target);
        NioFolderFs.writeModeOf(target, mode);
        touchedDirs.add(target);
        touchedDirs.add(target.getParent());
    }

    @Override
    public void symlink(String relative, String target) throws IOException {
        SymlinkTargets.resolveInside(dir + "/" + relative, target);
        Path link = at(relative);
        parents(link);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, link.getFileSystem().getPath(target));
    }

    @Override
    public boolean delete(String relative) throws IOException {
        Path target = at(relative);
        touchedDirs.add(target.getParent());
        return Files.deleteIfExists(target);
    }

    @Override
    public boolean deleteDirectory(String relative, io.peersync.daemon.ignore.IgnoredContent.Rules rules)
            throws IOException {
        Path target = at(relative);
        touchedDirs.add(target.getParent());
        return io.peersync.daemon.ignore.IgnoredContent.deleteDirectory(target, dir + "/" + relative, rules);
    }

    @Override
    public void setMode(String relative, int mode) throws IOException {
        NioFolderFs.writeModeOf(at(relative), mode);
    }

    @Override
    public void fsync() throws IOException {
        for (Path d : touchedDirs.descendingSet()) {
            if (Files.isDirectory(d, NOFOLLOW)) {
                NioFolderFs.fsyncDirectoryAt(d);
            }
        }
    }

    @Override
    public long swap() throws IOException {
        long start = System.nanoTime();
        fs.exchange(staged, live);
        long took = System.nanoTime() - start;
        swapped = true;
        NioFolderFs.fsyncDirectoryAt(live.getParent());
        NioFolderFs.fsyncDirectoryAt(staged.getParent());
        return took;
    }

    @Override
    public void archiveOld(java.util.List<String> relatives) throws IOException {
        if (!swapped) {
            throw new IllegalStateException("archiveOld before swap");
        }
        for (String relative : relatives) {
            Path old = at(relative);
            if (Files.isRegularFile(old, NOFOLLOW) || Files.isSymbolicLink(old)) {
                Path dest = fs.root().resolve(fs.freshArchiveName(dir + "/" + relative));
                Files.createDirectories(dest.getParent());
                Files.move(old, dest, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    @Override
    public void close() {
        if (!Files.exists(staged, NOFOLLOW)) {
            return;
        }
        try {
            if (swapped && changedBySet != null) {
                // Readers of the old tree are done; whatever was written into it since the swap is kept too.
                keepLocalWrites(changedBySet, deletedBySet);
            }
            MoreFiles.deleteRecursively(staged, RecursiveDeleteOption.ALLOW_INSECURE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove staged tree " + staged, e);
        }
    }
}
