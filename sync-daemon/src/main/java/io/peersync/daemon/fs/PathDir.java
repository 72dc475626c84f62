package io.peersync.daemon.fs;

import io.peersync.protocol.FolderPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * {@link FolderDir} by path, where the system has no descriptors to work beneath the root (not Linux, or libc not
 * reachable through JNA): every component is checked not to be a symlink, then the path is used, so a symlink
 * swapped in between the check and the use is not caught.
 */
final class PathDir implements FolderDir {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path dir;

    private PathDir(Path dir) {
        this.dir = dir;
    }

    /** The directory {@code relative} beneath {@code root}; refuses one with a symlink among its components. */
    static PathDir open(Path root, String relative) throws IOException {
        PathDir dir = new PathDir(root);
        if (relative.isEmpty()) {
            return dir;
        }
        for (String part : relative.split("/")) {
            dir = dir.child(part);
        }
        return dir;
    }

    /** The directory {@code relative} beneath {@code root}, made with the directories above it that are missing. */
    static PathDir mkdirs(Path root, String relative) throws IOException {
        PathDir dir = new PathDir(root);
        if (relative.isEmpty()) {
            return dir;
        }
        for (String part : relative.split("/")) {
            if (dir.stat(part).isEmpty()) {
                dir.mkdir(part);
            }
            dir = dir.child(part);
        }
        return dir;
    }

    @Override
    public Path listing() {
        return dir;
    }

    @Override
    public Path entry(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("name in " + dir + ": " + FolderPath.printable(name)
                    + " (expected: one path component)");
        }
        return dir.resolve(name);
    }

    @Override
    public PathDir child(String name) throws IOException {
        Optional<BasicFileAttributes> attrs = stat(name);
        if (attrs.isEmpty()) {
            throw new NoSuchFileException(entry(name).toString());
        }
        if (!attrs.get().isDirectory()) {
            throw new UnsafePathException(entry(name)
                    + ": is a symlink or not a directory (expected: a directory; refusing to follow it)");
        }
        return new PathDir(entry(name));
    }

    @Override
    public void mkdir(String name) throws IOException {
        Files.createDirectory(entry(name));
    }

    @Override
    public void symlink(String name, String target) throws IOException {
        Files.createSymbolicLink(entry(name), dir.getFileSystem().getPath(target));
    }

    @Override
    public void link(String name, FolderDir to, String toName) throws IOException {
        Files.createLink(to.entry(toName), entry(name));
    }

    @Override
    public void rename(String name, FolderDir to, String toName) throws IOException {
        Files.move(entry(name), to.entry(toName), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public boolean delete(String name) throws IOException {
        return Files.deleteIfExists(entry(name));
    }

    @Override
    public <T> T onFile(String name, Beneath.Action<T> action) throws IOException {
        if (Files.isSymbolicLink(entry(name))) {
            throw new UnsafePathException(entry(name) + ": is a symlink (expected: a file; refusing to follow it)");
        }
        return action.on(entry(name));
    }

    @Override
    public void fsync() throws IOException {
        NioFolderFs.force(dir);
    }

    @Override
    public void close() {
        // holds nothing open
    }
}
