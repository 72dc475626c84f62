package io.peersync.cli.client;

/** The daemon refused or failed a request; the message is the daemon's one sentence for the user. */
public final class ControlRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    ControlRequestException(String message) {
        super(message, null, false, false);
    }
}
