package io.peersync.daemon.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux's {@code syncfs(2)}, called through JNA: writes every dirty page and inode of one file system to disk in one
 * call. For the thousands of files of a change set this replaces thousands of fsyncs (one file system journal commit
 * instead of one per file). Not every system has it; callers check {@link #available()} and fsync file by file.
 */
final class FileSystemSync {
    private static final Logger log = LoggerFactory.getLogger(FileSystemSync.class);
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0x10000; // Linux, every architecture peersync runs on
    private static final LibC LIBC = LinuxLibC.load(LibC.class,
            "syncfs is not available; change sets are fsynced file by file");

    /** The libc functions used. */
    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int syncfs(int fd) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private FileSystemSync() {
    }

    static boolean available() {
        return LIBC != null;
    }

    /** Makes everything written to the file system that holds directory {@code dir} durable. */
    static void sync(Path dir) throws IOException {
        if (LIBC == null) {
            throw new IOException("syncfs is not available on this system");
        }
        int fd;
        try {
            fd = LIBC.open(dir.toString(), O_RDONLY | O_DIRECTORY);
        } catch (LastErrorException e) {
            throw LinuxLibC.failure(dir.toString(), null, "open: ", e);
        }
        try {
            LIBC.syncfs(fd);
        } catch (LastErrorException e) {
            throw LinuxLibC.failure(dir.toString(), null, "syncfs: ", e);
        } finally {
            try {
                LIBC.close(fd);
            } catch (LastErrorException e) {
                log.debug("close of {} after syncfs failed: {}", dir, e.getMessage());
            }
        }
    }
}
