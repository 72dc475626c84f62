package io.peersync.daemon.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import io.peersync.daemon.ignore.IgnoredContent;
import io.peersync.protocol.FolderPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A directory of the folder open for reading, reached beneath the root without following any symlink
 * ({@link Beneath#openDirectory}), and what is done to the entries in it: every call takes this descriptor and one
 * name ({@code linkat}, {@code symlinkat}, {@code mkdirat}, {@code unlinkat}; {@code openat(O_NOFOLLOW |
 * O_DIRECTORY)} for a subdirectory, so one swapped for a symlink meanwhile is refused, never followed), and owner,
 * mode and extended attributes are set on descriptors ({@code fchown}, {@code fchmod}, {@code fsetxattr}).
 * Listing, reading attributes and reading a symlink go through the descriptor's {@code /proc/self/fd/N} link: the
 * kernel resolves that magic link to the directory already opened, whatever is at its path now, and the one name
 * after it is not followed ({@code lstat}, {@code readlink}); no name a local user controls is ever followed.
 */
final class DirectoryFd implements FolderDir {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int EISDIR = 21;
    private static final int SUBDIRECTORY = Beneath.O_RDONLY | Beneath.O_DIRECTORY | Beneath.O_NOFOLLOW
            | Beneath.O_CLOEXEC;
    private static final int FILE = Beneath.O_RDONLY | Beneath.O_NOFOLLOW | Beneath.O_NONBLOCK | Beneath.O_CLOEXEC;
    private static final LibC LIBC = LinuxLibC.load(LibC.class,
            "Symlink-safe directory operations are not available; directories are not staged");

    interface LibC extends Library {
        int openat(int dirFd, String name, int flags) throws LastErrorException;

        int mkdirat(int dirFd, String name, int mode) throws LastErrorException;

        int symlinkat(String target, int dirFd, String name) throws LastErrorException;

        int linkat(int fromDirFd, String fromName, int toDirFd, String toName, int flags) throws LastErrorException;

        int unlinkat(int dirFd, String name, int flags) throws LastErrorException;

        int renameat(int fromDirFd, String fromName, int toDirFd, String toName) throws LastErrorException;

        int fchown(int fd, int uid, int gid) throws LastErrorException;

        int fchmod(int fd, int mode) throws LastErrorException;

        int fsync(int fd) throws LastErrorException;
    }

    private final int fd;
    /** The directory's path, for messages only. */
    private final String shown;

    private DirectoryFd(int fd, String shown) {
        this.fd = fd;
        this.shown = shown;
    }

    static boolean available() {
        return LIBC != null && Beneath.available();
    }

    /** The directory {@code relative} beneath {@code root} (the root itself when empty). */
    static DirectoryFd open(Path root, String relative) throws IOException {
        return new DirectoryFd(Beneath.openDirectory(root, relative), root.resolve(relative).toString());
    }

    /** The directory that holds {@code relative} beneath {@code root}. */
    static DirectoryFd parentOf(Path root, String relative) throws IOException {
        return open(root, FolderPath.parent(relative));
    }

    /** The directory {@code relative} beneath {@code root}, made with the directories above it that are missing. */
    static DirectoryFd mkdirs(Path root, String relative) throws IOException {
        try {
            return open(root, relative);
        } catch (NoSuchFileException e) {
            try (DirectoryFd parent = mkdirs(root, FolderPath.parent(relative))) {
                String name = FolderDir.name(relative);
                try {
                    parent.mkdir(name);
                } catch (java.nio.file.FileAlreadyExistsException made) {
                    // made meanwhile: opening it below checks that it is a directory
                }
                return parent.child(name);
            }
        }
    }

    /** The attributes of the entry {@code relative} beneath {@code root} (not followed), or empty when none. */
    static Optional<BasicFileAttributes> statAt(Path root, String relative) throws IOException {
        try (DirectoryFd parent = parentOf(root, relative)) {
            return parent.stat(FolderDir.name(relative));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Whether the entry {@code relative} beneath {@code root} is a directory (a symlink to one is not). */
    static boolean isDirectoryAt(Path root, String relative) throws IOException {
        return statAt(root, relative).map(BasicFileAttributes::isDirectory).orElse(false);
    }

    /** Removes the entry {@code relative} beneath {@code root} (see {@link #delete}); false when nothing was there. */
    static boolean deleteAt(Path root, String relative) throws IOException {
        try (DirectoryFd parent = parentOf(root, relative)) {
            return parent.delete(FolderDir.name(relative));
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** The target of the symlink {@code relative} beneath {@code root}. */
    static String readLinkAt(Path root, String relative) throws IOException {
        try (DirectoryFd parent = parentOf(root, relative)) {
            return parent.readLink(FolderDir.name(relative));
        }
    }

    /** The directory {@code relative} beneath {@code root} as {@link IgnoredContent} walks and deletes it. */
    static IgnoredContent.Tree tree(Path root, String relative) {
        return new IgnoredContent.Tree() {
            @Override
            public List<String> names(String inside) throws IOException {
                try (DirectoryFd d = open(root, inside.isEmpty() ? relative : relative + "/" + inside)) {
                    return d.names();
                }
            }

            @Override
            public boolean isDirectory(String inside) throws IOException {
                return isDirectoryAt(root, relative + "/" + inside);
            }

            @Override
            public void deleteIfEmpty() throws IOException {
                deleteAt(root, relative);
            }

            @Override
            public void deleteAll() throws IOException {
                try (DirectoryFd parent = parentOf(root, relative)) {
                    parent.deleteTree(FolderDir.name(relative));
                }
            }
        };
    }

    /**
     * The subdirectory {@code name}; {@link UnsafePathException} when it is a symlink or no directory (any more), as
     * when a local user swapped it meanwhile.
     */
    @Override
    public DirectoryFd child(String name) throws IOException {
        try {
            return new DirectoryFd(LIBC.openat(fd, entryName(name), SUBDIRECTORY), shown + "/" + name);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Beneath.ELOOP || e.getErrorCode() == Beneath.ENOTDIR) {
                throw new UnsafePathException(shown + "/" + name
                        + ": is a symlink or not a directory (expected: a directory; refusing to follow it)");
            }
            throw failure(name, null, e);
        }
    }

    /** Makes the subdirectory {@code name} (mode 0777 less the umask). */
    @Override
    public void mkdir(String name) throws IOException {
        try {
            LIBC.mkdirat(fd, entryName(name), 0777);
        } catch (LastErrorException e) {
            throw failure(name, null, e);
        }
    }

    /** Makes the symlink {@code name} to {@code target}. */
    @Override
    public void symlink(String name, String target) throws IOException {
        try {
            LIBC.symlinkat(target, fd, entryName(name));
        } catch (LastErrorException e) {
            throw failure(name, null, e);
        }
    }

    /** Hard-links the entry {@code name} as {@code toName} in {@code to}; a symlink is linked itself, not followed. */
    @Override
    public void link(String name, FolderDir to, String toName) throws IOException {
        DirectoryFd into = (DirectoryFd) to;
        try {
            LIBC.linkat(fd, entryName(name), into.fd, into.entryName(toName), 0);
        } catch (LastErrorException e) {
            throw Beneath.failure(shown + "/" + name, into.shown + "/" + toName, e);
        }
    }

    @Override
    public void rename(String name, FolderDir to, String toName) throws IOException {
        DirectoryFd into = (DirectoryFd) to;
        try {
            LIBC.renameat(fd, entryName(name), into.fd, into.entryName(toName));
        } catch (LastErrorException e) {
            throw Beneath.failure(shown + "/" + name, into.shown + "/" + toName, e);
        }
    }

    /**
     * Opens the file {@code name} with {@code O_NOFOLLOW} (and {@code O_NONBLOCK}, so that a FIFO swapped in does not
     * wait for a writer): a symlink there is refused, never followed.
     */
    @Override
    public <T> T onFile(String name, Beneath.Action<T> action) throws IOException {
        int file;
        try {
            file = LIBC.openat(fd, entryName(name), FILE);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Beneath.ELOOP) {
                throw new UnsafePathException(shown + "/" + name
                        + ": is a symlink (expected: a file; refusing to follow it)");
            }
            throw failure(name, null, e);
        }
        try {
            return action.on(Path.of("/proc/self/fd/" + file));
        } finally {
            Beneath.close(file);
        }
    }

    /** Removes the file, symlink or empty directory {@code name}; false when nothing was there. */
    @Override
    public boolean delete(String name) throws IOException {
        try {
            try {
                LIBC.unlinkat(fd, entryName(name), 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EISDIR) {
                    throw e;
                }
                LIBC.unlinkat(fd, name, Beneath.AT_REMOVEDIR);
            }
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Beneath.ENOENT) {
                return false;
            }
            throw failure(name, null, e);
        }
    }

    /** Removes {@code name} with all it holds; symlinks in it are removed themselves, never followed. */
    void deleteTree(String name) throws IOException {
        Optional<BasicFileAttributes> attrs = stat(name);
        if (attrs.isEmpty()) {
            return;
        }
        if (attrs.get().isDirectory()) {
            try (DirectoryFd inside = child(name)) {
                for (String entry : inside.names()) {
                    inside.deleteTree(entry);
                }
            }
        }
        delete(name);
    }

    /**
     * Gives {@code to} this directory's owner and group first (chown may clear setgid), then its extended attributes
     * (ACLs included), then its mode, setgid and sticky included.
     */
    void copyStateTo(DirectoryFd to) throws IOException {
        Map<String, Object> a = Files.readAttributes(self(), "unix:uid,gid,mode");
        Map<String, Object> b = Files.readAttributes(to.self(), "unix:uid,gid");
        int uid = a.get("uid").equals(b.get("uid")) ? -1 : (Integer) a.get("uid");
        int gid = a.get("gid").equals(b.get("gid")) ? -1 : (Integer) a.get("gid");
        try {
            if (uid != -1 || gid != -1) {
                LIBC.fchown(to.fd, uid, gid);
            }
        } catch (LastErrorException e) {
            throw LinuxLibC.failure(to.shown, null, "setting the owner: ", e);
        }
        Xattrs.copy(fd, shown, to.fd, to.shown);
        to.setMode((Integer) a.get("mode") & 07777);
    }

    /** Sets this directory's mode bits as they are. */
    void setMode(int mode) throws IOException {
        try {
            LIBC.fchmod(fd, mode);
        } catch (LastErrorException e) {
            throw LinuxLibC.failure(shown, null, "setting the mode: ", e);
        }
    }

    /** Forces this directory's entries to disk. */
    @Override
    public void fsync() throws IOException {
        try {
            LIBC.fsync(fd);
        } catch (LastErrorException e) {
            throw LinuxLibC.failure(shown, null, "fsync: ", e);
        }
    }

    @Override
    public void close() {
        Beneath.close(fd);
    }

    /** The descriptor's magic link, which leads to this directory only. */
    private Path self() {
        return Path.of("/proc/self/fd/" + fd);
    }

    @Override
    public Path listing() {
        return self();
    }

    /** The entry {@code name} through {@link #self}: one component, so nothing but the magic link is followed. */
    @Override
    public Path entry(String name) {
        return self().resolve(entryName(name));
    }

    private String entryName(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("name in " + shown + ": " + FolderPath.printable(name)
                    + " (expected: one path component)");
        }
        return name;
    }

    private IOException failure(String name, String other, LastErrorException e) {
        return Beneath.failure(shown + "/" + name, other, e);
    }
}
