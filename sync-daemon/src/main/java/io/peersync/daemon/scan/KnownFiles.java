package io.peersync.daemon.scan;

import io.peersync.protocol.FileRecord;
import java.util.function.Consumer;

/** Every record this node stored for the folder, tombstones included; lets the scanner find deletions. */
@FunctionalInterface
public interface KnownFiles {
    void forEach(Consumer<FileRecord> action);
}
