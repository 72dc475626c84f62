package io.peersync.daemon.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Swaps two directories in one atomic step with Linux's {@code renameat2(RENAME_EXCHANGE)}, called through JNA: at
 * every instant a reader sees either the whole old tree or the whole new one. Not every system has it (other
 * kernels, some filesystems); callers check {@link #available()} and fall back to a burst of renames.
 */
final class DirectoryExchange {
    private static final int AT_FDCWD = -100;
    private static final int RENAME_EXCHANGE = 2;
    private static final LibC LIBC = LinuxLibC.load(LibC.class,
            "Atomic directory exchange is not available; change sets land as a burst of renames");

    /** The one libc function used. */
    interface LibC extends Library {
        int renameat2(int oldDirFd, String oldPath, int newDirFd, String newPath, int flags) throws LastErrorException;
    }

    private DirectoryExchange() {
    }

    static boolean available() {
        return LIBC != null;
    }

    /** Atomically exchanges {@code a} and {@code b}, two existing directories on one filesystem. */
    static void exchange(Path a, Path b) throws IOException {
        if (LIBC == null) {
            throw new IOException("atomic directory exchange is not available on this system");
        }
        try {
            LIBC.renameat2(AT_FDCWD, a.toString(), AT_FDCWD, b.toString(), RENAME_EXCHANGE);
        } catch (LastErrorException e) {
            throw LinuxLibC.failure(a.toString(), b.toString(), "", e);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("atomic directory exchange is not available: " + e.getMessage(), e);
        }
    }
}
