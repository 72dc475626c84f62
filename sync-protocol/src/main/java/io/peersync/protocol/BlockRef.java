package io.peersync.protocol;

/** One block of a file: where it starts, how long it is, and its SHA-256. */
public record BlockRef(long offset, int size, Hash hash) {
    public BlockRef {
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
        }
        if (hash == null) {
            throw new IllegalArgumentException("hash: null");
        }
    }
}
