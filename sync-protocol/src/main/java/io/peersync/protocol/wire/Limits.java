package io.peersync.protocol.wire;

import io.peersync.protocol.FolderId;

/** Hard limits on every frame and field; anything larger is a protocol violation. */
public final class Limits {
    /** 2: a record on the wire is {@link RecordCodec}'s bytes (version 1 had a fixed-width layout of its own). */
    public static final int PROTOCOL_VERSION = 2;
    /** A 16 MiB plain block plus the 28 bytes of its encryption, with room to spare. */
    public static final int MAX_BLOCK_SIZE = 16 * 1024 * 1024 + 64;
    /** Largest frame body: one maximal block plus headers. */
    public static final int MAX_FRAME = MAX_BLOCK_SIZE + 64 * 1024;
    /**
     * Largest encoded record ({@link RecordCodec}) in an IndexUpdate: what one frame holds after the update's header
     * (type, folder, complete flag, record count) and the record's length.
     */
    public static final int MAX_RECORD_BYTES = MAX_FRAME - (1 + FolderId.BYTES + 1 + 4 + 4);
    public static final int MAX_RECORDS_PER_UPDATE = 10_000;
    public static final int MAX_BLOCKS_PER_FILE = 131_072;
    public static final int MAX_SHORT_STRING = 256;
    public static final int MAX_REASON = 1024;
    public static final int MAX_KNOWN_PEERS = 64;
    public static final int NONCE_BYTES = 32;
    public static final int MAX_PROOF_BYTES = 128;

    private Limits() {
    }
}
