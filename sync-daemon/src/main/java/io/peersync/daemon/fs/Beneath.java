package io.peersync.daemon.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import io.peersync.protocol.FolderPath;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a path beneath the folder root without following a symlink in any component and without ever leaving the
 * root, whatever a local user swaps in meanwhile: Linux's {@code openat2} with {@code RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS} (5.6 and later), else a walk of {@code openat(O_NOFOLLOW)} one component at a time, both
 * through JNA. Mode, owner and times are then set, and files read, through the descriptor (via its
 * {@code /proc/self/fd} link, which the kernel resolves to the opened file itself), never by path again. Work on
 * the entries of one open directory, by name (a tree walked one directory at a time), is {@link DirectoryFd}'s.
 */
final class Beneath {
    private static final boolean ARM = System.getProperty("os.arch", "").contains("aarch64");
    static final int O_RDONLY = 0;
    static final int O_DIRECTORY = ARM ? 040000 : 0200000;
    static final int O_NOFOLLOW = ARM ? 0100000 : 0400000;
    static final int O_CLOEXEC = 02000000;
    private static final int O_PATH = 010000000;
    static final int O_NONBLOCK = 04000;
    private static final long RESOLVE_NO_MAGICLINKS = 0x02;
    private static final long RESOLVE_NO_SYMLINKS = 0x04;
    private static final long RESOLVE_BENEATH = 0x08;
    private static final long SYS_OPENAT2 = 437;
    private static final int ENOSYS = 38;
    static final int ENOENT = 2;
    static final int ELOOP = 40;
    static final int ENOTDIR = 20;
    private static final int EXDEV = 18;
    private static final LibC LIBC = LinuxLibC.load(LibC.class,
            "Symlink-safe file operations are not available; paths are checked, then used");
    /** openat2 is tried once; on ENOSYS (an older kernel) the component walk is used from then on. */
    private static volatile boolean openat2 = true;

    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int openat(int dirFd, String path, int flags) throws LastErrorException;

        int syscall(long number, int dirFd, String path, long[] how, long size) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int renameat(int oldDirFd, String oldName, int newDirFd, String newName) throws LastErrorException;

        int symlinkat(String target, int dirFd, String name) throws LastErrorException;

        int unlinkat(int dirFd, String name, int flags) throws LastErrorException;

        int mkdirat(int dirFd, String name, int mode) throws LastErrorException;

        int renameat2(int oldDirFd, String oldName, int newDirFd, String newName, int flags)
                throws LastErrorException;
    }

    private static final int RENAME_EXCHANGE = 2;

    static final int AT_REMOVEDIR = 0x200;
    private static final int ENOTEMPTY = 39;
    private static final int EEXIST = 17;

    private Beneath() {
    }

    static boolean available() {
        return LIBC != null;
    }

    /** What is done through a descriptor's {@code /proc/self/fd} link, which leads to the opened file only. */
    interface Action<T> {
        T on(Path descriptor) throws IOException;
    }

    /**
     * Runs {@code action} on the file or directory {@code relative} beneath {@code root}, opened without following
     * any symlink (a symlink at any component, the last included, is refused with {@link UnsafePathException}).
     */
    static <T> T at(Path root, String relative, Action<T> action) throws IOException {
        return on(open(root, relative, O_PATH), action);
    }

    /** {@link #at} by the component walk, as on a kernel without openat2. */
    static <T> T atByWalk(Path root, String relative, Action<T> action) throws IOException {
        return on(open(root, relative, O_PATH, false), action);
    }

    private static <T> T on(int fd, Action<T> action) throws IOException {
        try {
            return action.on(fdPath(fd));
        } finally {
            close(fd);
        }
    }

    /** One *at system call on a name in a directory descriptor. */
    private interface InDirectory {
        void call(int dirFd, String name) throws LastErrorException;
    }

    /** One *at system call on two names, each in its own directory descriptor. */
    private interface InTwoDirectories {
        void call(int fromDirFd, String fromName, int toDirFd, String toName) throws LastErrorException;
    }

    /** Runs {@code call} on the last component of {@code relative}, in its parent opened beneath {@code root}. */
    private static void inParent(Path root, String relative, InDirectory call) throws IOException {
        int dir = openParent(root, relative);
        try {
            call.call(dir, name(relative));
        } catch (LastErrorException e) {
            throw failure(root.resolve(relative).toString(), null, e);
        } finally {
            close(dir);
        }
    }

    /** Runs {@code call} on the last components of {@code from} and {@code to}, in their parents beneath the root. */
    private static void inParents(Path root, String from, String to, InTwoDirectories call) throws IOException {
        int fromDir = openParent(root, from);
        try {
            int toDir = openParent(root, to);
            try {
                call.call(fromDir, name(from), toDir, name(to));
            } catch (LastErrorException e) {
                throw failure(root.resolve(from).toString(), root.resolve(to).toString(), e);
            } finally {
                close(toDir);
            }
        } finally {
            close(fromDir);
        }
    }

    /**
     * Renames {@code from} to {@code to} (both relative to {@code root}; the target's parent exists), each through a
     * descriptor of its parent directory opened beneath the root: a parent swapped for a symlink makes it fail,
     * never move anything elsewhere. Replaces what is at {@code to} (a symlink there is replaced, not followed).
     */
    static void rename(Path root, String from, String to) throws IOException {
        inParents(root, from, to, LIBC::renameat);
    }

    /** Exchanges two directories beneath {@code root} in one atomic step, each reached through its parent. */
    static void exchange(Path root, String a, String b) throws IOException {
        inParents(root, a, b, (aDir, aName, bDir, bName) -> LIBC.renameat2(aDir, aName, bDir, bName, RENAME_EXCHANGE));
    }

    /** Creates the directory {@code relative} beneath {@code root} (mode 0777 less the umask), in its parent. */
    static void mkdir(Path root, String relative) throws IOException {
        inParent(root, relative, (dir, name) -> LIBC.mkdirat(dir, name, 0777));
    }

    /** Creates the symlink {@code relative} beneath {@code root}, in its parent opened beneath the root. */
    static void symlink(Path root, String relative, String target) throws IOException {
        inParent(root, relative, (dir, name) -> LIBC.symlinkat(target, dir, name));
    }

    /**
     * Removes the file, symlink or empty directory {@code relative} beneath {@code root}; false when nothing was
     * there. A non-empty directory is {@link java.nio.file.DirectoryNotEmptyException}.
     */
    static boolean delete(Path root, String relative, boolean directory) throws IOException {
        try {
            inParent(root, relative, (dir, name) -> LIBC.unlinkat(dir, name, directory ? AT_REMOVEDIR : 0));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** A failed call as the JDK would report it: the usual exception types for the usual causes. */
    static IOException failure(String file, String other, LastErrorException e) {
        return switch (e.getErrorCode()) {
            case ENOENT -> new NoSuchFileException(file, other, null);
            case EEXIST -> new java.nio.file.FileAlreadyExistsException(file, other, null);
            case ENOTEMPTY -> new java.nio.file.DirectoryNotEmptyException(file);
            default -> LinuxLibC.failure(file, other, "", e);
        };
    }

    /** A descriptor of the directory holding {@code relative} (the root itself for a top-level name). */
    private static int openParent(Path root, String relative) throws IOException {
        String parent = FolderPath.parent(relative);
        if (parent.isEmpty()) {
            return openRoot(root, O_PATH | O_DIRECTORY);
        }
        return open(root, parent, O_PATH | O_DIRECTORY);
    }

    /**
     * A descriptor of the directory {@code relative} beneath {@code root} (the root itself when empty), open for
     * reading (listing, fsync, extended attributes); the caller closes it.
     */
    static int openDirectory(Path root, String relative) throws IOException {
        int flags = O_RDONLY | O_DIRECTORY;
        return relative.isEmpty() ? openRoot(root, flags) : open(root, relative, flags);
    }

    private static int openRoot(Path root, int flags) throws IOException {
        if (LIBC == null) {
            throw new IOException("symlink-safe file operations are not available on this system");
        }
        try {
            return LIBC.open(root.toString(), flags | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw LinuxLibC.failure(root.toString(), null, "", e);
        }
    }

    private static String name(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }

    /** A read-only channel on the regular file {@code relative} beneath {@code root}. */
    static FileChannel openRead(Path root, String relative) throws IOException {
        int fd = open(root, relative, O_RDONLY | O_NONBLOCK);
        try {
            return FileChannel.open(fdPath(fd), StandardOpenOption.READ);
        } finally {
            close(fd);
        }
    }

    /** A descriptor of {@code relative} beneath {@code root}, opened with {@code flags}; the caller closes it. */
    static int open(Path root, String relative, int flags) throws IOException {
        return open(root, relative, flags, openat2);
    }

    /** {@link #open}, by openat2 when {@code tryOpenat2} and the kernel has it, else by the component walk. */
    private static int open(Path root, String relative, int flags, boolean tryOpenat2) throws IOException {
        checkRelative(relative);
        int rootFd = openRoot(root, O_PATH | O_DIRECTORY);
        try {
            if (tryOpenat2) {
                try {
                    long[] how = {flags | O_CLOEXEC, 0, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
                    return LIBC.syscall(SYS_OPENAT2, rootFd, relative, how, 24);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != ENOSYS) {
                        throw refusal(root, relative, e);
                    }
                    openat2 = false;
                }
            }
            return walk(rootFd, root, relative, flags);
        } finally {
            close(rootFd);
        }
    }

    /** openat2's work one component at a time, each opened with O_NOFOLLOW from the one before. */
    private static int walk(int rootFd, Path root, String relative, int flags) throws IOException {
        String[] parts = relative.split("/");
        int dir = LIBC.openat(rootFd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        try {
            for (int i = 0; i < parts.length - 1; i++) {
                int next = LIBC.openat(dir, parts[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                close(dir);
                dir = next;
            }
            // O_PATH with O_NOFOLLOW would open a symlink itself: the last component is opened for reading instead,
            // which O_NOFOLLOW refuses for a symlink (O_NONBLOCK: a FIFO does not wait for a writer).
            int last = (flags & O_PATH) != 0 ? O_RDONLY | O_NONBLOCK : flags;
            return LIBC.openat(dir, parts[parts.length - 1], last | O_NOFOLLOW | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw refusal(root, relative, e);
        } finally {
            close(dir);
        }
    }

    /** A relative path of plain components (the folder's own {@code .peersync/} included), or thrown out. */
    private static void checkRelative(String relative) {
        if (relative.isEmpty() || relative.startsWith("/") || relative.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path: " + FolderPath.printable(relative)
                    + " (expected: relative, not empty, no NUL)");
        }
        for (String part : relative.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("path: " + FolderPath.printable(relative)
                        + " (expected: no empty, '.' or '..' component)");
            }
        }
    }

    private static IOException refusal(Path root, String relative, LastErrorException e) {
        String file = root.resolve(relative).toString();
        return switch (e.getErrorCode()) {
            case ENOENT -> new NoSuchFileException(file);
            case ELOOP, ENOTDIR, EXDEV -> new UnsafePathException("path " + relative
                    + ": a component is a symlink or leads outside the folder (refusing to follow it)");
            default -> LinuxLibC.failure(file, null, "", e);
        };
    }

    private static Path fdPath(int fd) {
        return Path.of("/proc/self/fd/" + fd);
    }

    static void close(int fd) {
        try {
            LIBC.close(fd);
        } catch (LastErrorException e) {
            // nothing useful to do: the descriptor is gone either way
        }
    }
}
