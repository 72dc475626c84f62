package io.peersync.daemon.fs;

import java.io.IOException;

/** A disk operation was refused because it could reach outside the shared folder (symlinked parent, escaping link). */
public final class UnsafePathException extends IOException {
    public UnsafePathException(String message) {
        super(message);
    }
}
