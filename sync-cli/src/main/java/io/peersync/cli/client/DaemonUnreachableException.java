package io.peersync.cli.client;

import java.nio.file.Path;

/** No daemon answers for a home directory; the message is one sentence that says how to start one. */
public final class DaemonUnreachableException extends Exception {
    private static final long serialVersionUID = 1L;

    DaemonUnreachableException(String message) {
        super(message, null, false, false);
    }

    static DaemonUnreachableException notRunning(Path home) {
        return new DaemonUnreachableException("The peersync daemon is not running (start it with: peersync daemon --home "
                + home + ").");
    }
}
