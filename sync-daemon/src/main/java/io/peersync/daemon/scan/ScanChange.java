package io.peersync.daemon.scan;

import io.peersync.protocol.FileRecord;
import io.peersync.protocol.VersionVector;

/** One difference the scanner found between the disk and what the index knows. */
public sealed interface ScanChange {

    String path();

    /**
     * A new or changed entry as it is on disk now. The record carries no version ({@link VersionVector#EMPTY},
     * sequence 0, modifiedBy 0): the engine assigns those.
     */
    record Changed(FileRecord record) implements ScanChange {
        public Changed {
            if (!record.version().isEmpty() || record.sequence() != 0 || record.modifiedBy() != 0 || record.deleted()) {
                throw new IllegalArgumentException("scanned record of " + record.path()
                        + " (expected: not deleted, no version, sequence 0, modifiedBy 0)");
            }
        }

        @Override
        public String path() {
            return record.path();
        }
    }

    /** A path the index holds as present that is no longer on disk; {@code known} is the record it holds. */
    record Deleted(FileRecord known) implements ScanChange {
        public Deleted {
            if (known.deleted()) {
                throw new IllegalArgumentException("deleted path " + known.path() + " (expected: a known present record)");
            }
        }

        @Override
        public String path() {
            return known.path();
        }
    }
}
