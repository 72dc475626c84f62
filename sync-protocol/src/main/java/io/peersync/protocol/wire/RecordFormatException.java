package io.peersync.protocol.wire;

/** Bytes given to {@link RecordCodec#decode} are not a file record; the message names what is wrong in one sentence. */
public final class RecordFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public RecordFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
