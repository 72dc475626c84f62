package io.peersync.daemon.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.FileSystemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loading Linux libc functions through JNA, and reporting their failures the way the JDK reports file errors. */
final class LinuxLibC {
    private static final Logger log = LoggerFactory.getLogger(LinuxLibC.class);

    private LinuxLibC() {
    }

    /** The functions of {@code type} from libc, or null (and {@code withoutIt} logged) when not on Linux or absent. */
    static <T extends Library> T load(Class<T> type, String withoutIt) {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return null;
        }
        try {
            return Native.load("c", type);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            log.info("{} ({})", withoutIt, e.toString());
            return null;
        }
    }

    /**
     * A failed call as a {@link FileSystemException} whose reason is the system's words and the errno, for example
     * "Operation not permitted (errno 1)". JNA's message is "[errno] strerror".
     */
    static FileSystemException failure(String file, String other, String prefix, LastErrorException e) {
        String reason = e.getMessage() == null ? "errno " + e.getErrorCode()
                : e.getMessage().replaceFirst("^\\[\\d+\\]\\s*", "") + " (errno " + e.getErrorCode() + ")";
        FileSystemException failure = new FileSystemException(file, other, prefix + reason);
        failure.initCause(e);
        return failure;
    }
}
