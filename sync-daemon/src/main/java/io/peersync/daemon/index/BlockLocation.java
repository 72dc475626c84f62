package io.peersync.daemon.index;

/** Where a block with a known hash sits on this node's disk. */
public record BlockLocation(String path, long offset, int size) {
}
