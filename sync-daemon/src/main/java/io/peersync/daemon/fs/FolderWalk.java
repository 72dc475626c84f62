package io.peersync.daemon.fs;

import io.peersync.protocol.FileType;
import io.peersync.protocol.FolderPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scan reads of the folder: {@link FolderFs#stat} and {@link FolderFs#walk}. Each directory is opened
 * beneath the root without following a symlink in any component ({@link FolderDir#open}), then listed and its
 * entries' attributes and symlink targets read through that one open directory, by name, without following them:
 * a directory swapped for a symlink between being listed and being walked into makes its walk fail (reported to the
 * visitor, as any listing that cannot be read), and one swapped before it is listed is seen as the symlink it is.
 */
final class FolderWalk {
    private static final Logger log = LoggerFactory.getLogger(FolderWalk.class);
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;

    FolderWalk(Path root) {
        this.root = root;
    }

    /** See {@link FolderFs#stat}: empty also when a directory above {@code path} is a symlink or no directory. */
    Optional<FileMeta> stat(String path) throws IOException {
        FolderPath.validate(path);
        FolderDir parent;
        try {
            parent = FolderDir.open(root, FolderPath.parent(path));
        } catch (NoSuchFileException | UnsafePathException e) {
            return Optional.empty();
        }
        try (parent) {
            return readMeta(parent.entry(FolderDir.name(path)));
        }
    }

    /** See {@link FolderFs#walk}. */
    void walk(String start, FolderFs.Visitor visitor) throws IOException {
        Deque<String> dirs = new ArrayDeque<>();
        if (start.isEmpty()) {
            dirs.push("");
        } else {
            Optional<FileMeta> meta = stat(start);
            if (meta.isEmpty() || !visitor.visit(start, meta.get()) || !meta.get().isDirectory()) {
                return;
            }
            dirs.push(start);
        }
        while (!dirs.isEmpty()) {
            String dir = dirs.pop();
            List<String> subdirs = new ArrayList<>();
            FolderDir opened;
            List<String> names;
            try {
                opened = FolderDir.open(root, dir);
            } catch (IOException e) {
                visitor.failed(dir, e);
                continue;
            }
            try (opened) {
                try {
                    names = opened.names();
                } catch (IOException e) {
                    visitor.failed(dir, e);
                    continue;
                }
                names.sort(null);
                for (String name : names) {
                    String child = dir.isEmpty() ? name : dir + "/" + name;
                    if (visitEntry(opened, name, child, visitor)) {
                        subdirs.add(child);
                    }
                }
            }
            // Pushed in reverse so that the stack pops them in name order: a depth-first, sorted walk.
            for (int i = subdirs.size() - 1; i >= 0; i--) {
                dirs.push(subdirs.get(i));
            }
        }
    }

    /** Visits entry {@code name} of {@code dir} (folder path {@code child}); true when the walk goes into it. */
    private boolean visitEntry(FolderDir dir, String name, String child, FolderFs.Visitor visitor)
            throws IOException {
        if (FolderPath.isInternal(child)) {
            return false;
        }
        try {
            FolderPath.validate(child);
        } catch (IllegalArgumentException e) {
            log.warn("{}: not syncing {}: {}", root, FolderPath.printable(child), e.getMessage());
            return false;
        }
        Optional<FileMeta> meta;
        try {
            meta = readMeta(dir.entry(name));
        } catch (IOException e) {
            visitor.failed(child, e);
            return false;
        }
        return meta.isPresent() && visitor.visit(child, meta.get()) && meta.get().isDirectory();
    }

    /** The entry {@code p} itself (a symlink is not followed); empty when absent or nothing sync carries. */
    private static Optional<FileMeta> readMeta(Path p) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(p,
                    "unix:mode,size,lastModifiedTime,isRegularFile,isDirectory,isSymbolicLink", NOFOLLOW);
            return meta(p, (Boolean) a.get("isRegularFile"), (Boolean) a.get("isDirectory"),
                    (Boolean) a.get("isSymbolicLink"), (Long) a.get("size"),
                    (FileTime) a.get("lastModifiedTime"), ((Integer) a.get("mode")) & 0777);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // No "unix" attribute view on this platform: POSIX permissions only, without setuid, setgid and sticky.
            try {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, NOFOLLOW);
                return meta(p, a.isRegularFile(), a.isDirectory(), a.isSymbolicLink(), a.size(),
                        a.lastModifiedTime(), permissionBits(a.permissions()));
            } catch (NoSuchFileException | NotDirectoryException e2) {
                return Optional.empty();
            }
        }
    }

    private static Optional<FileMeta> meta(Path p, boolean file, boolean dir, boolean link, long size,
                                           FileTime mtime, int mode) throws IOException {
        long nanos = mtime.to(TimeUnit.NANOSECONDS);
        if (file) {
            return Optional.of(new FileMeta(FileType.FILE, size, nanos, mode, ""));
        } else if (dir) {
            return Optional.of(new FileMeta(FileType.DIRECTORY, 0, nanos, mode, ""));
        } else if (link) {
            return Optional.of(new FileMeta(FileType.SYMLINK, 0, nanos, mode, Files.readSymbolicLink(p).toString()));
        }
        return Optional.empty(); // fifo, socket, device: nothing sync can carry
    }

    private static int permissionBits(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 0400 >> p.ordinal();
        }
        return mode;
    }
}
