package io.peersync.daemon.lifecycle;

import io.peersync.daemon.control.ControlException;
import io.peersync.daemon.control.VersionView;
import io.peersync.daemon.fs.ArchivedVersion;
import io.peersync.protocol.FolderPath;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Translates control API arguments of {@code versions} and {@code restore} into folder terms, and back. */
final class ArchiveRequests {

    private ArchiveRequests() {
    }

    /** {@code path} as a folder-relative path: given that way, or absolute inside {@code root}. */
    static String relativePath(Path root, String path) throws ControlException {
        if (path == null || path.isBlank()) {
            throw new ControlException("A file path is required.");
        }
        String relative = path;
        if (path.startsWith("/")) {
            Path absolute;
            try {
                absolute = Path.of(path).normalize();
            } catch (InvalidPathException e) {
                throw new ControlException("Not a path: " + path + ".");
            }
            if (!absolute.startsWith(root) && absolute.getParent() != null) {
                absolute = realParent(absolute); // e.g. /tmp/... given for a folder under /private/tmp
            }
            if (!absolute.startsWith(root) || absolute.equals(root)) {
                throw new ControlException(path + " is not a file inside the folder " + root + ".");
            }
            relative = root.relativize(absolute).toString().replace(java.io.File.separatorChar, '/');
        }
        if (!FolderPath.isValid(relative)) {
            throw new ControlException("Not a path inside the folder: " + path
                    + " (expected: folder-relative like docs/a.txt, outside .peersync/).");
        }
        return relative;
    }

    private static Path realParent(Path absolute) {
        try {
            return absolute.getParent().toRealPath().resolve(absolute.getFileName());
        } catch (java.io.IOException e) {
            return absolute;
        }
    }

    /** The {@code at} argument: empty for the newest version. */
    static Optional<Instant> time(String at) throws ControlException {
        if (at == null || at.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(VersionView.parseTime(at));
        } catch (IllegalArgumentException e) {
            throw new ControlException(e.getMessage());
        }
    }

    static VersionView view(String path, ArchivedVersion v) {
        return new VersionView(path, v.archivePath(), v.archivedAt().toString(), v.size());
    }
}
