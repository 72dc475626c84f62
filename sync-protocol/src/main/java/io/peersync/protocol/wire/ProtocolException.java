package io.peersync.protocol.wire;

/** A frame broke the protocol: too large, truncated, unknown type or an invalid field. The peer is disconnected. */
public class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
