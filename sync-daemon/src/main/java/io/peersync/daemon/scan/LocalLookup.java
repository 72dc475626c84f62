package io.peersync.daemon.scan;

import io.peersync.protocol.FileRecord;
import java.util.Optional;

/** What the scanner asks of the index: the record this node last stored for a path. */
@FunctionalInterface
public interface LocalLookup {
    Optional<FileRecord> local(String path);
}
