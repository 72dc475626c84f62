package io.peersync.daemon.fs;

import io.peersync.daemon.ignore.IgnoredContent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Every disk operation the daemon does inside one shared folder. Paths are folder-relative and '/'-separated,
 * validated with {@link io.peersync.protocol.FolderPath}; an operation whose path has a symlink among its parent
 * directories is refused with {@link UnsafePathException}, so nothing reaches outside the folder. Symlinks are never
 * followed. The internal directory {@code .peersync/} is reached only through the temp and archive methods.
 * Implementation: {@link NioFolderFs} (the disk); tests also inject faults through one of their own.
 */
public interface FolderFs {

    /** Receives the entries of {@link #walk}, parents before children, siblings in name order. */
    @FunctionalInterface
    interface Visitor {
        /** Called for each entry; return false to skip a directory's children. */
        boolean visit(String path, FileMeta meta) throws IOException;

        /** An entry or directory listing could not be read; the walk goes on without it. */
        default void failed(String path, IOException error) {
        }
    }

    /** The folder's absolute, real root directory. */
    Path root();

    /** Throws unless the folder marker exists: a missing marker means the folder is unmounted or was moved. */
    void checkMarker() throws IOException;

    // ---- reading ---------------------------------------------------------------------------------------

    /** The entry at {@code path}, not following a final symlink; empty when absent or under a non-directory. */
    Optional<FileMeta> stat(String path) throws IOException;

    /** Streams a regular file; refuses a symlink. */
    InputStream openRead(String path) throws IOException;

    /** A read-only channel on a regular file, for reading blocks at any offset; refuses a symlink. */
    FileChannel openReadChannel(String path) throws IOException;

    /**
     * Visits {@code start} ("" for the whole folder) and, if it is a directory, everything under it, skipping
     * {@code .peersync/} and entries whose names are not valid folder paths. Nothing is visited if it is absent.
     */
    void walk(String start, Visitor visitor) throws IOException;

    /** Bytes available to this process on the folder's file store. */
    long freeSpace() throws IOException;

    /** The size in bytes of the folder's file store. */
    long totalSpace() throws IOException;

    /** The temp files under {@code .peersync/tmp/} (not staged trees), with their size and last change. */
    java.util.List<TempFile> temps() throws IOException;

    /** A file under {@code .peersync/tmp/}; {@code changed} is its inode's last change (ctime). */
    record TempFile(String name, long size, java.time.Instant changed) {
    }

    // ---- writing through .peersync/tmp -------------------------------------------------------------------

    /** Where temp file {@code name} (one path component) lives under {@code .peersync/tmp/}. */
    Path tempFile(String name);

    /** Opens a temp file for reading and writing; {@code create} also creates it if missing. */
    FileChannel openTemp(String name, boolean create) throws IOException;

    /** Writes all of {@code data} at {@code offset}. */
    void writeAt(FileChannel channel, long offset, ByteBuffer data) throws IOException;

    /** Forces a channel's content to disk and closes it (closed even when the force fails). */
    void fsyncAndClose(FileChannel channel) throws IOException;

    /** Deletes a temp file if present. */
    void deleteTemp(String name) throws IOException;

    /** Gives a finished temp file its final mode and mtime and fsyncs it, ready for {@link #moveTemp}. */
    void prepareTemp(String name, long mtimeNanos, int mode) throws IOException;

    /**
     * {@link #prepareTemp} without the fsync: for many temp files that {@link #fsyncTemps} then makes durable
     * together, before any of them is moved into place.
     */
    void prepareTempUnsynced(String name, long mtimeNanos, int mode) throws IOException;

    /** Makes the given temp files (data, mode and mtime) durable: at once where the system allows, else one by one. */
    void fsyncTemps(java.util.Collection<String> names) throws IOException;

    /**
     * Puts a prepared temp file in place: creates missing parent directories, renames it atomically over
     * {@code path} (replacing a file there) and fsyncs the parent directory.
     */
    default void moveTemp(String name, String path) throws IOException {
        moveTemp(name, path, true);
    }

    /**
     * Like {@link #moveTemp(String, String)}; with {@code fsyncParent} false the caller fsyncs the parent directories
     * itself afterwards ({@link #fsyncDirectory}), so that many renames can land in one short burst.
     */
    void moveTemp(String name, String path, boolean fsyncParent) throws IOException;

    /** Forces a directory's entries (renames into it) to disk; "" is the folder root. */
    void fsyncDirectory(String path) throws IOException;

    /** {@link #prepareTemp} then {@link #moveTemp}. */
    default void commitTemp(String name, String path, long mtimeNanos, int mode) throws IOException {
        prepareTemp(name, mtimeNanos, mode);
        moveTemp(name, path);
    }

    // ---- changing the folder -----------------------------------------------------------------------------

    /** Creates the directory and missing parents; the directory at {@code path} gets {@code mode}. */
    void mkdirs(String path, int mode) throws IOException;

    /** Deletes a file, symlink or empty directory; returns false when nothing was there. */
    boolean delete(String path) throws IOException;

    /**
     * Deletes a directory the peers deleted, which may still hold ignored entries (see {@link IgnoredContent}):
     * false when it stays for them; {@link java.nio.file.DirectoryNotEmptyException} when it holds synced content.
     */
    boolean deleteDirectory(String path, IgnoredContent.Rules rules) throws IOException;

    /**
     * Moves a file or symlink that sync replaces or deletes to {@code .peersync/archive/<path>~<yyyyMMdd-HHmmss>}
     * atomically; returns the archived path, relative to the folder root.
     */
    String archive(String path) throws IOException;

    /**
     * Starts a staged copy of directory {@code dir} (existing, not the folder root) that can later be swapped in
     * atomically; empty when this system cannot swap directories atomically.
     */
    java.util.Optional<StagedTree> stage(String dir) throws IOException;

    /** Renames a file or symlink within the folder; refuses to replace an existing entry at {@code to}. */
    void rename(String from, String to) throws IOException;

    /** Creates a symlink; refuses (with {@link UnsafePathException}) a target absolute or resolving outside the folder. */
    void createSymlink(String path, String target) throws IOException;

    /** Gives an entry an owner and/or group (null = unchanged), not following a final symlink. */
    void setOwner(String path, String owner, String group) throws IOException;

    /** Throws unless the owner and group name existing accounts. */
    void checkOwner(String owner, String group) throws IOException;

    /** Sets the modification time, not following a final symlink. */
    void setTimes(String path, long mtimeNanos) throws IOException;

    /** Sets the permission bits; a no-op on a symlink (they have none of their own). */
    void setMode(String path, int mode) throws IOException;

    // ---- the versions archive (.peersync/archive) ----------------------------------------------------------

    /**
     * Keeps a copy of a file or symlink that is about to be replaced, under the same archive name as
     * {@link #archive}, without {@code path} ever disappearing: a hard link where the file store allows (only
     * sound because replacing renames a new file over {@code path}, leaving the old inode to the archive), else a
     * copy. Returns the archived path, relative to the folder root.
     */
    String archiveCopy(String path) throws IOException;

    /** The archived versions of {@code path}, newest first; empty when there are none. */
    java.util.List<ArchivedVersion> archived(String path) throws IOException;

    /**
     * Copies an archived version (an {@link ArchivedVersion#archivePath()}) back to {@code path} through a temp
     * file and an atomic rename, with a fresh mtime: a normal local change for the scanner. The version stays.
     */
    void restoreArchived(String archivePath, String path) throws IOException;

    /**
     * Deletes the archived versions beyond the newest {@code keepPerPath} of each path, and those archived more
     * than {@code maxAge} ago, then the directories left empty; returns how many versions it deleted.
     */
    int pruneArchive(int keepPerPath, java.time.Duration maxAge) throws IOException;
}
