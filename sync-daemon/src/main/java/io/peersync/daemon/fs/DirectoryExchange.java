package io.peersync.daemon.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swaps two directories in one atomic step with Linux's {@code renameat2(RENAME_EXCHANGE)}, called through JNA: at
 * every instant a reader sees either the whole old tree or the whole new one. Not every system has it (other
 * kernels, some filesystems); callers check {@link #available()} and fall back to a burst of renames.
 */
final class DirectoryExchange {
    private static final Logger log = LoggerFactory.getLogger(DirectoryExchange.class);
    private static final int AT_FDCWD = -100;
    private static final int RENAME_EXCHANGE = 2;
    private static final LibC LIBC = load();

    /** The one libc function used. */
    interface LibC extends Library {
        int renameat2(int oldDirFd, String oldPath, int newDirFd, String newPath, int flags) throws LastErrorException;
    }

    private DirectoryExchange() {
    }

    private static LibC load() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return null;
        }
        try {
            return Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            log.info("Atomic directory exchange is not available ({}); change sets land as a burst of renames",
                    e.toString());
            return null;
        }
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
            // JNA's message is "[errno] strerror"; keep the system's words, as the JDK's own file errors do.
            String reason = e.getMessage() == null ? "errno " + e.getErrorCode()
                    : e.getMessage().replaceFirst("^\\[\\d+\\]\\s*", "") + " (errno " + e.getErrorCode() + ")";
            FileSystemException failure = new FileSystemException(a.toString(), b.toString(), reason);
            failure.initCause(e);
            throw failure;
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("atomic directory exchange is not available: " + e.getMessage(), e);
        }
    }
}
