package io.peersync.daemon.fs;

import io.peersync.protocol.FileType;

/**
 * What {@link FolderFs#stat} saw of one entry, symlinks not followed.
 *
 * @param mtimeNanos    modification time, nanoseconds since the epoch
 * @param mode          POSIX permission bits (0 to 07777)
 * @param symlinkTarget the link's target exactly as stored on disk; empty unless a symlink
 */
public record FileMeta(FileType type, long size, long mtimeNanos, int mode, String symlinkTarget) {

    public FileMeta {
        if (type == null || symlinkTarget == null) {
            throw new IllegalArgumentException("file meta: null field");
        }
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode: " + Integer.toOctalString(mode) + " (expected: 0 to 7777 octal)");
        }
    }

    public boolean isFile() {
        return type == FileType.FILE;
    }

    public boolean isDirectory() {
        return type == FileType.DIRECTORY;
    }

    public boolean isSymlink() {
        return type == FileType.SYMLINK;
    }
}
