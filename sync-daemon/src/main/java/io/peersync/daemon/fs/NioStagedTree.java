package io.peersync.daemon.fs;

import io.peersync.protocol.FolderPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link StagedTree} on a real disk: hard links for unchanged files, {@code renameat2} for the swap. Both the live
 * directory and the stage under {@code .peersync/tmp/} can be written by local users, so every path is resolved
 * beneath the folder root without following a symlink ({@link Beneath}), and the copy walks by descriptor
 * ({@link DirectoryFd}): a directory swapped for a symlink at any instant makes the step fail, never leads outside.
 */
final class NioStagedTree implements StagedTree {
    private final NioFolderFs fs;
    private final Path root;
    /** The live directory, and the stage, relative to the root. */
    private final String dir;
    private final String staged;
    /** The stage's directories that were changed, relative to the root, for {@link #fsync}. */
    private final TreeSet<String> touchedDirs = new TreeSet<>();
    private boolean swapped;
    /** The files the copy hard-linked, by relative path, with the inode each was then. */
    private final Map<String, Object> links = new HashMap<>();
    /** The relative paths the set changed, and those it deleted, once {@link #keepLocalWrites} ran. */
    private Set<String> changedBySet;
    private Set<String> deletedBySet;

    NioStagedTree(NioFolderFs fs, String dir, String staged) {
        this.fs = fs;
        this.root = fs.root();
        this.dir = dir;
        this.staged = staged;
    }

    /**
     * Mirrors the live directory: directories with their owner, group, extended attributes (ACLs included) and mode
     * (setgid included), files and special files (FIFOs, sockets, devices) as hard links, symlinks as symlinks.
     * Throws when any of it cannot be reproduced, or when a directory turns out to be a symlink while it is copied
     * (the set is then applied without a swap, in the live directory).
     */
    void copyLive() throws IOException {
        Beneath.mkdir(root, staged);
        try (DirectoryFd from = DirectoryFd.open(root, dir); DirectoryFd to = DirectoryFd.open(root, staged)) {
            copy(from, to, "");
        }
    }

    /** Copies what {@code from} holds into {@code to}, then its state (so that no default ACL is inherited). */
    private void copy(DirectoryFd from, DirectoryFd to, String relative) throws IOException {
        for (String name : from.names()) {
            Optional<BasicFileAttributes> attrs = from.stat(name);
            String entry = relative.isEmpty() ? name : relative + "/" + name;
            if (attrs.isEmpty()) {
                continue; // deleted meanwhile
            } else if (attrs.get().isDirectory()) {
                to.mkdir(name);
                try (DirectoryFd fromChild = from.child(name); DirectoryFd toChild = to.child(name)) {
                    copy(fromChild, toChild, entry);
                }
            } else if (attrs.get().isSymbolicLink()) {
                to.symlink(name, from.readLink(name));
            } else {
                from.link(name, to, name);
                links.put(entry, attrs.get().fileKey());
            }
        }
        from.copyStateTo(to);
        touchedDirs.add(relative.isEmpty() ? staged : staged + "/" + relative);
    }

    @Override
    public int keepLocalWrites(Set<String> changedBySet, Set<String> deletedBySet) throws IOException {
        if (!swapped) {
            throw new IllegalStateException("keepLocalWrites before swap");
        }
        boolean first = this.changedBySet == null;
        this.changedBySet = Set.copyOf(changedBySet);
        this.deletedBySet = Set.copyOf(deletedBySet);
        int kept = 0;
        // The old tree now lies at the staged path. What is in it but not in the new tree was written by someone
        // else while the set was staged (or, through an open handle, since): it moves into the new tree.
        List<String> oldEntries = new ArrayList<>();
        try (DirectoryFd old = DirectoryFd.open(root, staged)) {
            list(old, "", oldEntries);
        }
        for (String rel : oldEntries) {
            Optional<BasicFileAttributes> old = this.changedBySet.contains(rel) || insideDeleted(rel)
                    ? Optional.empty() : DirectoryFd.statAt(root, staged + "/" + rel);
            if (old.isEmpty()) {
                continue;
            }
            String now = dir + "/" + rel;
            Optional<BasicFileAttributes> there = DirectoryFd.statAt(root, now);
            if (old.get().isDirectory()) {
                if (there.isEmpty()) {
                    try (DirectoryFd from = DirectoryFd.open(root, staged + "/" + rel);
                         DirectoryFd to = DirectoryFd.mkdirs(root, now)) {
                        from.copyStateTo(to);
                    }
                    kept++;
                }
                continue;
            }
            if (there.isPresent() && (there.get().isDirectory() || sameEntry(rel, old.get(), there.get()))) {
                continue;
            }
            DirectoryFd.mkdirs(root, FolderPath.parent(now)).close();
            Beneath.rename(root, staged + "/" + rel, now);
            kept++;
        }
        if (first) {
            // A file the copy linked that the old tree no longer has was deleted by someone else before the swap.
            Set<String> inOld = new HashSet<>(oldEntries);
            for (Map.Entry<String, Object> linked : links.entrySet()) {
                String rel = linked.getKey();
                if (!inOld.contains(rel) && !this.changedBySet.contains(rel)
                        && DirectoryFd.statAt(root, dir + "/" + rel)
                                .filter(a -> linked.getValue().equals(a.fileKey())).isPresent()) {
                    DirectoryFd.deleteAt(root, dir + "/" + rel);
                    kept++;
                }
            }
        }
        return kept;
    }

    /**
     * Adds what {@code d} holds to {@code out}, directories before their content, relative to the stage. A directory
     * that is a symlink by the time it is opened is listed as itself only: its target is never read.
     */
    private static void list(DirectoryFd d, String relative, List<String> out) throws IOException {
        for (String name : d.names()) {
            String entry = relative.isEmpty() ? name : relative + "/" + name;
            out.add(entry);
            if (d.stat(name).map(BasicFileAttributes::isDirectory).orElse(false)) {
                try (DirectoryFd inside = d.child(name)) {
                    list(inside, entry, out);
                } catch (UnsafePathException | java.nio.file.NoSuchFileException e) {
                    // swapped or removed meanwhile: it is carried (or not) as what it is now
                }
            }
        }
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

    /** The same file (one inode) in the old tree and the new, or two symlinks to the same target. */
    private boolean sameEntry(String rel, BasicFileAttributes old, BasicFileAttributes now) throws IOException {
        if (old.isSymbolicLink() && now.isSymbolicLink()) {
            String target = DirectoryFd.readLinkAt(root, staged + "/" + rel);
            return target.equals(DirectoryFd.readLinkAt(root, dir + "/" + rel));
        }
        return old.fileKey().equals(now.fileKey());
    }

    @Override
    public String directory() {
        return dir;
    }

    /** {@code relative} in the stage, relative to the root. */
    private String at(String relative) {
        FolderPath.validate(relative);
        return staged + "/" + relative;
    }

    /** Makes the stage's directories above {@code target} that are missing. */
    private void parents(String target) throws IOException {
        String parent = FolderPath.parent(target);
        DirectoryFd.mkdirs(root, parent).close();
        touchedDirs.add(parent);
    }

    @Override
    public void put(String relative, String tempName) throws IOException {
        String target = at(relative);
        parents(target);
        if (DirectoryFd.isDirectoryAt(root, target)) {
            throw new IOException("staged " + relative + " is a directory (expected: a file)");
        }
        Beneath.rename(root, fs.tempRelative(tempName), target);
    }

    @Override
    public void mkdirs(String relative, int mode) throws IOException {
        String target = at(relative);
        if (DirectoryFd.statAt(root, target).filter(a -> !a.isDirectory()).isPresent()) {
            DirectoryFd.deleteAt(root, target);
        }
        try (DirectoryFd made = DirectoryFd.mkdirs(root, target)) {
            made.setMode(mode & 0777);
        }
        touchedDirs.add(target);
        touchedDirs.add(FolderPath.parent(target));
    }

    @Override
    public void symlink(String relative, String target) throws IOException {
        SymlinkTargets.resolveInside(dir + "/" + relative, target);
        String link = at(relative);
        parents(link);
        DirectoryFd.deleteAt(root, link);
        Beneath.symlink(root, link, target);
    }

    @Override
    public boolean delete(String relative) throws IOException {
        String target = at(relative);
        touchedDirs.add(FolderPath.parent(target));
        return DirectoryFd.deleteAt(root, target);
    }

    @Override
    public boolean deleteDirectory(String relative, io.peersync.daemon.ignore.IgnoredContent.Rules rules)
            throws IOException {
        String target = at(relative);
        touchedDirs.add(FolderPath.parent(target));
        return io.peersync.daemon.ignore.IgnoredContent.deleteDirectory(DirectoryFd.tree(root, target),
                dir + "/" + relative, rules);
    }

    @Override
    public void setMode(String relative, int mode) throws IOException {
        String target = at(relative);
        if (DirectoryFd.statAt(root, target).filter(BasicFileAttributes::isSymbolicLink).isPresent()) {
            return; // a symlink has no mode of its own
        }
        Beneath.at(root, target, d -> {
            NioFolderFs.writeModeOf(d, mode);
            return null;
        });
    }

    @Override
    public void fsync() throws IOException {
        for (String d : touchedDirs.descendingSet()) {
            if (DirectoryFd.isDirectoryAt(root, d)) {
                fsyncDirectory(d);
            }
        }
    }

    private void fsyncDirectory(String relative) throws IOException {
        try (DirectoryFd d = DirectoryFd.open(root, relative)) {
            d.fsync();
        }
    }

    @Override
    public long swap() throws IOException {
        long start = System.nanoTime();
        Beneath.exchange(root, staged, dir);
        long took = System.nanoTime() - start;
        swapped = true;
        fsyncDirectory(FolderPath.parent(dir));
        fsyncDirectory(FolderPath.parent(staged));
        return took;
    }

    @Override
    public void archiveOld(List<String> relatives) throws IOException {
        if (!swapped) {
            throw new IllegalStateException("archiveOld before swap");
        }
        for (String relative : relatives) {
            String old = at(relative);
            if (DirectoryFd.statAt(root, old).filter(a -> a.isRegularFile() || a.isSymbolicLink()).isPresent()) {
                String dest = fs.freshArchiveName(dir + "/" + relative);
                DirectoryFd.mkdirs(root, FolderPath.parent(dest)).close();
                Beneath.rename(root, old, dest);
            }
        }
    }

    @Override
    public void close() {
        try {
            if (DirectoryFd.statAt(root, staged).isEmpty()) {
                return;
            }
            if (swapped && changedBySet != null) {
                // Readers of the old tree are done; whatever was written into it since the swap is kept too.
                keepLocalWrites(changedBySet, deletedBySet);
            }
            try (DirectoryFd tmp = DirectoryFd.parentOf(root, staged)) {
                tmp.deleteTree(staged.substring(staged.lastIndexOf('/') + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove staged tree " + root.resolve(staged), e);
        }
    }
}
