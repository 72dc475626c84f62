package io.peersync.daemon.index;

/** File and byte counts of one folder, for status. Directories and tombstones are not counted as files. */
public record FolderCounts(long localFiles, long localBytes, long globalFiles, long globalBytes,
                           long needFiles, long needBytes) {
}
