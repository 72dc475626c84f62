package io.peersync.daemon.engine;

import io.peersync.daemon.fs.FileMeta;
import io.peersync.daemon.fs.UnsafePathException;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one needed entry that is not part of a change set: downloads a file and renames it into place, creates a
 * directory or symlink, applies a deletion. Each write first checks, under the commit lock, that the disk still
 * holds what the index says, so no local change the scanner has not seen yet is written over.
 */
final class EntryPull {
    private static final Logger log = LoggerFactory.getLogger(EntryPull.class);

    private final PullTarget folder;
    private final FilePull files;
    /** Paths whose global version we refuse to apply (e.g. a symlink pointing outside), by version. */
    private final Map<String, FileRecord> refused = new ConcurrentHashMap<>();

    EntryPull(PullTarget folder, FilePull files) {
        this.folder = folder;
        this.files = files;
    }

    /** True when this very version of the path was refused (it cannot be applied safely): never tried again. */
    boolean isRefused(FileRecord g) {
        FileRecord r = refused.get(g.path());
        return r != null && r.version().equals(g.version());
    }

    boolean pullFile(FileRecord g) {
        try {
            Optional<FileRecord> local = folder.local(g.path());
            if (!diskMatches(local, g.path())) {
                folder.rescan(g.path());
                return false;
            }
            if (local.isPresent() && !local.get().deleted() && local.get().type() == FileType.FILE
                    && local.get().fileHash().equals(g.fileHash())) {
                return commitMetadataOnly(g, local.get());
            }
            String temp = files.download(g);
            folder.fs().prepareTemp(temp, g.mtimeNanos(), g.mode());
            folder.commitLock().lock();
            try {
                Optional<FileRecord> now = folder.local(g.path());
                if (!now.equals(local) || !diskMatches(now, g.path())) {
                    folder.rescan(g.path());
                    return false;
                }
                boolean conflict = keepConflictCopy(now, g);
                if (!conflict && !folder.encrypted()
                        && folder.fs().stat(g.path()).map(FileMeta::isFile).orElse(false)) {
                    folder.fs().archiveCopy(g.path()); // the replaced version stays in .peersync/archive
                }
                folder.wrote(List.of(g.path()));
                folder.fs().moveTemp(temp, g.path());
                folder.own(g.path());
                folder.commitPulled(List.of(g));
            } finally {
                folder.commitLock().unlock();
            }
            folder.counters().filesPulled.incrementAndGet();
            folder.announce();
            return true;
        } catch (IOException e) {
            log.info("Folder {}: cannot pull {} yet: {}", folder.id(), g.path(), e.getMessage());
            noteDiskError(e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * When the version on disk was made concurrently with the one replacing it (an edit here while another node
     * edited too), it lost the conflict: keep it beside the winner under a conflict name, which the scanner then
     * syncs like any new file. No write is lost.
     */
    boolean keepConflictCopy(Optional<FileRecord> local, FileRecord winner) throws IOException {
        // Only a read-write node writes versions of its own; a reading node's copy came from a peer, which keeps it.
        if (local.isEmpty() || local.get().deleted() || local.get().type() != FileType.FILE
                || !folder.readWrite()
                || local.get().fileHash().equals(winner.fileHash()) || !Conflicts.lost(local.get(), winner)) {
            return false;
        }
        FileRecord loser = local.get();
        String copy = ConflictNames.conflictPath(loser.path(), loser.mtimeNanos(), loser.modifiedBy());
        if (folder.fs().stat(copy).isPresent()) {
            folder.fs().archive(loser.path()); // the same loser was kept already
            return true;
        }
        folder.fs().rename(loser.path(), copy);
        folder.counters().conflicts.incrementAndGet();
        folder.counters().emit("conflict", java.util.Map.of("path", loser.path(), "copy", copy));
        log.info("Folder {}: conflict on {}: kept the local version as {}", folder.id(), loser.path(), copy);
        folder.rescan(copy);
        return true;
    }

    /** Same content already on disk (e.g. a concurrent identical change): adopt the version, fix metadata. */
    private boolean commitMetadataOnly(FileRecord g, FileRecord local) throws IOException {
        folder.commitLock().lock();
        try {
            if (local.mode() != g.mode()) {
                folder.fs().setMode(g.path(), g.mode());
            }
            if (local.mtimeNanos() != g.mtimeNanos()) {
                folder.fs().setTimes(g.path(), g.mtimeNanos());
            }
            folder.commitPulled(List.of(g));
        } finally {
            folder.commitLock().unlock();
        }
        folder.announce();
        return true;
    }

    /** Creates a directory or symlink (an encrypted node only indexes it). */
    boolean applyOther(FileRecord g) {
        if (folder.encrypted()) {
            // Directories and symlinks of an encrypted folder exist only in its index.
            folder.commitPulled(List.of(g));
            folder.announce();
            return true;
        }
        return checkedWrite(g, "apply", () -> {
            Optional<FileMeta> disk = folder.fs().stat(g.path());
            if (g.type() == FileType.DIRECTORY) {
                if (disk.isPresent() && !disk.get().isDirectory()) {
                    folder.fs().archive(g.path());
                }
                folder.fs().mkdirs(g.path(), g.mode());
                folder.fs().setMode(g.path(), g.mode());
                folder.own(g.path());
                return true;
            }
            if (disk.isPresent()) {
                if (disk.get().isDirectory()) {
                    folder.fs().delete(g.path());
                } else {
                    folder.fs().archive(g.path());
                }
            }
            try {
                folder.fs().createSymlink(g.path(), g.target());
                return true;
            } catch (UnsafePathException e) {
                refused.put(g.path(), g);
                log.warn("Folder {}: refusing symlink {} -> {}: {}", folder.id(), g.path(), g.target(),
                        e.getMessage());
                return false;
            }
        });
    }

    boolean applyDeletion(FileRecord g) {
        return checkedWrite(g, "delete", () -> {
            removeFromDisk(g.path());
            return true;
        });
    }

    /** A write to the disk for one entry; false when the entry was refused (there is nothing to commit). */
    private interface EntryWrite {
        boolean write() throws IOException;
    }

    /**
     * Runs {@code write} under the commit lock once the disk is seen to hold what the index says (else the path is
     * scanned again first), then commits the entry and tells the peers; false when it must be tried again.
     */
    private boolean checkedWrite(FileRecord g, String verb, EntryWrite write) {
        folder.commitLock().lock();
        try {
            if (!diskMatches(folder.local(g.path()), g.path())) {
                folder.rescan(g.path());
                return false;
            }
            if (!write.write()) {
                return true;
            }
            folder.commitPulled(List.of(g));
        } catch (DirectoryNotEmptyException e) {
            log.debug("Folder {}: {} is not empty yet", folder.id(), g.path());
            return false;
        } catch (IOException e) {
            log.info("Folder {}: cannot {} {} yet: {}", folder.id(), verb, g.path(), e.getMessage());
            noteDiskError(e);
            return false;
        } finally {
            folder.commitLock().unlock();
        }
        folder.announce();
        return true;
    }

    /**
     * Applies a deletion to the disk: a file goes to the versions archive, a symlink is removed, a directory only
     * when it is empty (anything left inside, such as ignored files, stays).
     */
    void removeFromDisk(String path) throws IOException {
        Optional<FileMeta> disk = folder.fs().stat(path);
        if (disk.isPresent()) {
            if (disk.get().isFile()) {
                folder.fs().archive(path);
            } else if (disk.get().isDirectory()) {
                if (!folder.fs().deleteDirectory(path, folder.contentRules())) {
                    log.info("Folder {}: {} stays: it holds files ignored here", folder.id(), path);
                }
            } else {
                folder.fs().delete(path);
            }
        }
    }

    /** True when the disk still holds what the index says we have, so replacing it loses no unscanned change. */
    boolean diskMatches(Optional<FileRecord> local, String path) throws IOException {
        if (folder.encrypted() && local.isPresent() && local.get().type() != FileType.FILE) {
            return true; // index-only entry
        }
        Optional<FileMeta> disk = folder.fs().stat(path);
        if (local.isEmpty() || local.get().deleted()) {
            return disk.isEmpty() || (disk.get().isDirectory() && local.isEmpty());
        }
        if (disk.isEmpty()) {
            return false;
        }
        FileRecord l = local.get();
        FileMeta d = disk.get();
        return switch (l.type()) {
            case FILE -> d.isFile() && d.size() == l.size() && d.mtimeNanos() == l.mtimeNanos();
            case DIRECTORY -> d.isDirectory();
            case SYMLINK -> d.isSymlink() && d.symlinkTarget().equals(l.target());
        };
    }

    void noteDiskError(IOException e) {
        DiskErrors.describe(e).ifPresent(folder::setError);
    }
}
