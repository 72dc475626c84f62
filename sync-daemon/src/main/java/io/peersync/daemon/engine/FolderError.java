package io.peersync.daemon.engine;

import io.peersync.protocol.FolderId;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one-sentence error a folder shows in its status until what caused it recovers; logged once per change. */
final class FolderError {
    private static final Logger log = LoggerFactory.getLogger(FolderError.class);

    private final FolderId id;
    private final FolderActivity activity;
    private volatile String message;

    FolderError(FolderId id, FolderActivity activity) {
        this.id = id;
        this.activity = activity;
    }

    /** The current error, or null. */
    String get() {
        return message;
    }

    void set(String newMessage) {
        if (!newMessage.equals(message)) {
            log.warn("Folder {}: {}", id, newMessage);
            activity.errors.incrementAndGet();
            activity.emit("folderError", java.util.Map.of("error", newMessage));
        }
        message = newMessage;
    }

    /** Clears the error if it is one of this kind (what caused it recovered). */
    void clearIf(Predicate<String> kind) {
        String e = message;
        if (e != null && kind.test(e)) {
            log.info("Folder {}: recovered ({})", id, e);
            message = null;
        }
    }
}
