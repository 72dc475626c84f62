package io.peersync.daemon.control;

/** A request the daemon refuses; the message is one sentence for the user. */
public class ControlException extends Exception {
    public ControlException(String message) {
        super(message);
    }
}
