package io.peersync.daemon.index;

/** The index store failed (disk error, corruption); names the store and the operation. */
public class IndexException extends RuntimeException {
    public IndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
