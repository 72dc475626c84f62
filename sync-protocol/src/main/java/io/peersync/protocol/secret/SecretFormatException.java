package io.peersync.protocol.secret;

/** A folder secret's text could not be parsed; the message is one sentence fit to show the user. */
public final class SecretFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SecretFormatException(String message) {
        super(message);
    }
}
