package io.peersync.daemon.engine;

import io.peersync.daemon.config.ArchivePolicy;
import io.peersync.daemon.fs.ArchivedVersion;
import io.peersync.daemon.fs.FileMeta;
import io.peersync.daemon.fs.FolderFs;
import io.peersync.protocol.FolderPath;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The versions archive of one folder under a retention policy: what versions of a path are kept, putting one back,
 * and pruning. Restoring writes a normal local change that the scanner picks up and sync spreads.
 */
public final class VersionArchive {
    private final FolderFs fs;
    private final ArchivePolicy policy;

    public VersionArchive(FolderFs fs, ArchivePolicy policy) {
        this.fs = fs;
        this.policy = policy;
    }

    public ArchivePolicy policy() {
        return policy;
    }

    /** The kept versions of folder-relative {@code path}, newest first. */
    public List<ArchivedVersion> list(String path) throws IOException {
        return fs.archived(checkPath(path));
    }

    /**
     * Puts back the newest version of {@code path} archived at or before {@code at} (the newest overall when empty),
     * after keeping the current file, if any, as a version of its own so that the restore can itself be undone.
     * Throws {@link IllegalArgumentException} with a sentence for the user when there is no such version.
     */
    public ArchivedVersion restore(String path, Optional<Instant> at) throws IOException {
        List<ArchivedVersion> versions = list(path);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("There is no archived version of " + path + ".");
        }
        ArchivedVersion chosen = versions.stream()
                .filter(v -> at.isEmpty() || !v.archivedAt().isAfter(at.get()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("There is no archived version of " + path
                        + " from " + at.get() + " or earlier; the oldest is from "
                        + versions.get(versions.size() - 1).archivedAt() + "."));
        Optional<FileMeta> current = fs.stat(path);
        if (current.isPresent() && current.get().isDirectory()) {
            throw new IllegalArgumentException("Cannot restore " + path + ": it is a directory now.");
        }
        if (current.isPresent()) {
            fs.archiveCopy(path);
        }
        fs.restoreArchived(chosen.archivePath(), path);
        return chosen;
    }

    /** Applies the policy to the whole archive; returns how many versions it deleted. */
    public int prune() throws IOException {
        return fs.pruneArchive(policy.keepVersions(), policy.maxAge());
    }

    private static String checkPath(String path) {
        try {
            return FolderPath.validate(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a path inside the folder: "
                    + e.getMessage().replaceFirst("^path: ", "") + ".", e);
        }
    }
}
