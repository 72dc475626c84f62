package io.peersync.daemon.index.rocks;

import io.peersync.daemon.index.IndexException;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.wire.RecordCodec;
import io.peersync.protocol.wire.RecordFormatException;
import java.util.Optional;

/** Values of the local, remote and global column families: {@link RecordCodec}'s bytes of one record. */
final class RecordValues {
    private RecordValues() {
    }

    static byte[] encode(FileRecord r) {
        return RecordCodec.encode(r);
    }

    /** Throws {@link IndexException} naming what is wrong if {@code value} is not a valid record. */
    static FileRecord decode(byte[] value) {
        try {
            return RecordCodec.decode(value);
        } catch (RecordFormatException e) {
            throw new IndexException(e.getMessage(), e);
        }
    }

    /** The record in {@code value}, or empty for a missing value (null). */
    static Optional<FileRecord> optional(byte[] value) {
        return value == null ? Optional.empty() : Optional.of(decode(value));
    }
}
