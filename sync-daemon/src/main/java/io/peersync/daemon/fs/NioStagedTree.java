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

    NioStagedTree(NioFolderFs fs, String dir, Path live, Path staged) {
        this.fs = fs;
        this.dir = dir;
        this.live = live;
        this.staged = staged;
    }

    /** Mirrors the live directory: directories with their modes, files as hard links, symlinks as symlinks. */
    void copyLive() throws IOException {
        Files.walkFileTree(live, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Path target = staged.resolve(live.relativize(d).toString());
                Files.createDirectories(target);
                NioFolderFs.writeModeOf(target, (Integer) Files.getAttribute(d, "unix:mode", NOFOLLOW) & 07777);
                touchedDirs.add(target);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Path target = staged.resolve(live.relativize(f).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(f));
                } else if (attrs.isRegularFile()) {
                    Files.createLink(target, f);
                }
                return FileVisitResult.CONTINUE;
            }
        });
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
        DirectoryExchange.exchange(staged, live);
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
            MoreFiles.deleteRecursively(staged, RecursiveDeleteOption.ALLOW_INSECURE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove staged tree " + staged, e);
        }
    }
}
