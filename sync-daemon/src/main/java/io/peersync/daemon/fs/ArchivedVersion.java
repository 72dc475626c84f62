package io.peersync.daemon.fs;

import java.time.Instant;

/** One kept version of a file in {@code .peersync/archive}: where (folder-relative), when it was archived, its size. */
public record ArchivedVersion(String archivePath, Instant archivedAt, long size) {
}
