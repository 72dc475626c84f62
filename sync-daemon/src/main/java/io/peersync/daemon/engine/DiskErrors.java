package io.peersync.daemon.engine;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.Optional;

/**
 * Tells write failures that need the user (a full disk, missing permissions, a read-only mount) from passing ones,
 * and says them in one sentence for the folder's {@code error}.
 */
final class DiskErrors {
    /** Every folder error this class makes starts with it; a clean pull pass clears such errors. */
    static final String PREFIX = "cannot write to the folder: ";

    private DiskErrors() {
    }

    /** The folder error for {@code e}, or empty when retrying soon is the right answer. */
    static Optional<String> describe(IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : String.valueOf(e.getMessage());
        // The system's words (English unless the C library's messages are translated), or the errno where a
        // native call reported it ("(errno N)", as LinuxLibC words it): EPERM 1, EACCES 13, ENOSPC 28, EROFS 30,
        // EDQUOT 122.
        String what;
        if (e instanceof AccessDeniedException || reason.contains("Permission denied")
                || reason.contains("Operation not permitted") || reason.contains("(errno 1)")
                || reason.contains("(errno 13)")) {
            what = "permission denied";
        } else if (reason.contains("No space left") || reason.contains("(errno 28)")) {
            what = "no space left on the disk";
        } else if (reason.contains("Disk quota exceeded") || reason.contains("(errno 122)")) {
            what = "disk quota exceeded";
        } else if (reason.contains("Read-only file system") || reason.contains("(errno 30)")) {
            what = "the file system is read-only";
        } else {
            return Optional.empty();
        }
        String file = null;
        if (e instanceof FileSystemException f) {
            // For a rename, the other file is where it was going, the one whose directory refused it.
            file = f.getOtherFile() != null ? f.getOtherFile() : f.getFile();
        }
        return Optional.of(PREFIX + what + (file != null ? " (" + file + ")" : ""));
    }
}
