package io.peersync.cli;

/** An operation that failed for a reason the user can act on; the message is one sentence. */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliFailure(String message) {
        super(message, null, false, false);
    }
}
