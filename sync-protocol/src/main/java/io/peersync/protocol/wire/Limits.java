package io.peersync.protocol.wire;

/** Hard limits on every frame and field; anything larger is a protocol violation. */
public final class Limits {
    public static final int PROTOCOL_VERSION = 1;
    /** A 16 MiB plain block plus the 28 bytes of its encryption, with room to spare. */
    public static final int MAX_BLOCK_SIZE = 16 * 1024 * 1024 + 64;
    /** Largest frame body: one maximal block plus headers. */
    public static final int MAX_FRAME = MAX_BLOCK_SIZE + 64 * 1024;
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
