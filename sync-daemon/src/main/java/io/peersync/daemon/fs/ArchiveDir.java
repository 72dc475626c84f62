package io.peersync.daemon.fs;

import io.peersync.protocol.FolderPath;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versions archive {@code .peersync/archive} of one {@link NioFolderFs}: version names
 * {@code <path>~<yyyyMMdd-HHmmss>[-n]} (stamped in the zone of the folder's clock), copies, listing, pruning and
 * restoring. A local user can write the folder and the archive, so every step goes through directories opened beneath
 * the root ({@link FolderDir}) one name at a time: the file kept, the directories of the archive and the version
 * restored are never reached through a symlink, and what is linked, copied, read or deleted is always inside.
 */
final class ArchiveDir {
    private static final Logger log = LoggerFactory.getLogger(ArchiveDir.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** Base name, stamp, optional counter; greedy so that a '~' in the base name stays in it. */
    private static final Pattern NAME = Pattern.compile("(.+)~(\\d{8}-\\d{6})(?:-(\\d{1,9}))?");
    private static final String PREFIX = NioFolderFs.ARCHIVE_DIR + "/";
    /** Newest first; the counter orders versions archived within the same second. */
    private static final Comparator<Version> NEWEST_FIRST =
            Comparator.comparing(Version::at).thenComparingInt(Version::counter).reversed();

    private final Path root;
    private final Clock clock;

    ArchiveDir(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /** An unused archive name for folder path {@code path}: {@code .peersync/archive/PATH~STAMP[-n]}. */
    String freshName(String path) throws IOException {
        String stamp = stamp();
        String archived = versionPath(path, stamp, 1);
        try (FolderDir dir = FolderDir.open(root, FolderPath.parent(archived))) {
            for (int n = 2; dir.stat(FolderDir.name(archived)).isPresent(); n++) {
                archived = versionPath(path, stamp, n);
            }
        } catch (NoSuchFileException e) {
            // no version of anything in that directory yet
        }
        return archived;
    }

    /** Now, as version names are stamped. */
    private String stamp() {
        return STAMP.format(clock.instant().atZone(clock.getZone()));
    }

    /** The archive name of folder path {@code path} with {@code stamp} and counter {@code n} (1: none). */
    private static String versionPath(String path, String stamp, int n) {
        return PREFIX + path + "~" + stamp + (n == 1 ? "" : "-" + n);
    }

    /**
     * Keeps a copy of the file or symlink at folder path {@code path} under a fresh archive name, leaving it in
     * place: a hard link when the file store allows, else a full copy renamed in. The file is reached through its
     * parent opened beneath the root and linked or opened by name without following it, so a symlink swapped in for
     * it or for any directory above it (or in the archive) is refused or archived as the link it is.
     */
    String keepCopy(String path) throws IOException {
        String name = FolderDir.name(path);
        try (FolderDir from = FolderDir.open(root, FolderPath.parent(path))) {
            Optional<BasicFileAttributes> attrs = from.stat(name);
            if (attrs.isEmpty() || !(attrs.get().isRegularFile() || attrs.get().isSymbolicLink())) {
                if (attrs.isPresent() && attrs.get().isDirectory()) {
                    throw new IOException("archive " + path + ": is a directory (expected: a file or symlink)");
                }
                throw new NoSuchFileException(root.resolve(path).toString(), null, "nothing to archive");
            }
            String stamp = stamp();
            try (FolderDir to = FolderDir.mkdirs(root, FolderPath.parent(versionPath(path, stamp, 1)))) {
                for (int n = 1; ; n++) {
                    String archived = versionPath(path, stamp, n);
                    String dest = FolderDir.name(archived);
                    if (to.stat(dest).isPresent()) {
                        continue;
                    }
                    try {
                        if (attrs.get().isSymbolicLink()) {
                            to.symlink(dest, from.readLink(name));
                        } else {
                            linkOrCopy(from, name, to, dest);
                        }
                    } catch (FileAlreadyExistsException e) {
                        continue; // taken since the check: try the next counter
                    }
                    to.fsync();
                    return archived;
                }
            }
        }
    }

    private void linkOrCopy(FolderDir from, String name, FolderDir to, String dest) throws IOException {
        try {
            from.link(name, to, dest);
            return;
        } catch (FileAlreadyExistsException | UnsafePathException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("Cannot hard-link {} into the archive ({}); copying it", name, e.toString());
        }
        // Copied beside the other temp files first, so a crash never leaves a partial version in the archive.
        String temp = "archive-" + UUID.randomUUID();
        try (FolderDir tmp = FolderDir.open(root, NioFolderFs.TMP_DIR)) {
            try {
                copy(from, name, tmp, temp);
                tmp.onFile(temp, NioFolderFs::force);
                if (to.stat(dest).isPresent()) {
                    throw new FileAlreadyExistsException(dest);
                }
                tmp.rename(temp, to, dest);
            } finally {
                tmp.delete(temp);
            }
        }
    }

    /**
     * Copies the regular file {@code name} of {@code from} to the new entry {@code toName} of {@code to}, with its
     * mode, owner, times and extended attributes: the source is opened without following a symlink, the copy made
     * where none exists.
     */
    private static void copy(FolderDir from, String name, FolderDir to, String toName) throws IOException {
        from.onFile(name, source -> {
            if (!Files.isRegularFile(source)) {
                throw new IOException(name + ": not a regular file (expected: a file to copy)");
            }
            return Files.copy(source, to.entry(toName), StandardCopyOption.COPY_ATTRIBUTES);
        });
    }

    /** The archived versions of folder path {@code path}, newest first. */
    List<ArchivedVersion> list(String path) throws IOException {
        FolderPath.validate(path);
        String parent = FolderPath.parent(path);
        String base = FolderDir.name(path);
        String prefix = PREFIX + (parent.isEmpty() ? "" : parent + "/");
        Optional<FolderDir> archived = FolderDir.openIfPresent(root, prefix.substring(0, prefix.length() - 1));
        if (archived.isEmpty()) {
            return List.of();
        }
        List<Version> versions = new ArrayList<>();
        try (FolderDir dir = archived.get()) {
            for (String name : dir.names()) {
                if (name.startsWith(base + "~")) {
                    parse(dir, name).filter(v -> v.base().equals(base) && !v.directory()).ifPresent(versions::add);
                }
            }
        }
        versions.sort(NEWEST_FIRST);
        return versions.stream().map(v -> new ArchivedVersion(prefix + v.name(), v.at(), v.size())).toList();
    }

    /**
     * Copies the archived version named by a folder-relative {@code archivePath} (refusing anything else) to the new
     * entry {@code temp} of {@code tmp}, with {@code mtime}; a symlink is copied as the link if its target, read as
     * the target of folder path {@code path}, stays inside the folder. The version and the directories above it are
     * opened beneath the root without following a symlink, so nothing from outside is ever brought in.
     */
    void copyOut(String archivePath, String path, FolderDir tmp, String temp, Instant mtime) throws IOException {
        if (archivePath == null || !archivePath.startsWith(PREFIX)) {
            throw new IllegalArgumentException("archivePath: " + archivePath + " (expected: under " + PREFIX + ")");
        }
        FolderPath.validate(archivePath.substring(PREFIX.length()));
        String name = FolderDir.name(archivePath);
        Optional<FolderDir> holder = FolderDir.openIfPresent(root, FolderPath.parent(archivePath));
        try (FolderDir dir = holder.orElseThrow(() -> noSuchVersion(archivePath))) {
            Optional<Version> version = parse(dir, name);
            if (version.isEmpty() || version.get().directory()) {
                throw noSuchVersion(archivePath);
            }
            if (dir.stat(name).map(BasicFileAttributes::isSymbolicLink).orElse(false)) {
                String target = dir.readLink(name);
                SymlinkTargets.resolveInside(path, target);
                tmp.symlink(temp, target);
                return;
            }
            copy(dir, name, tmp, temp);
            // A restore is a new local edit: a fresh mtime makes it the newest version for scanner and peers.
            tmp.onFile(temp, copied -> {
                Files.setLastModifiedTime(copied, FileTime.from(mtime));
                return NioFolderFs.force(copied);
            });
        }
    }

    private NoSuchFileException noSuchVersion(String archivePath) {
        return new NoSuchFileException(root.resolve(archivePath).toString(), null, "no such archived version");
    }

    /**
     * Deletes versions beyond the newest {@code keepPerPath} of each path and versions archived more than
     * {@code maxAge} ago, then empty directories; returns how many versions it deleted. Holds one directory's
     * listing at a time; entries that are not archive versions are left alone, and a directory that is a symlink
     * is not entered.
     */
    int prune(int keepPerPath, Duration maxAge) throws IOException {
        if (keepPerPath < 1) {
            throw new IllegalArgumentException("keepPerPath: " + keepPerPath + " (expected: >= 1)");
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0)");
        }
        Optional<FolderDir> archive = FolderDir.openIfPresent(root, NioFolderFs.ARCHIVE_DIR);
        if (archive.isEmpty()) {
            return 0;
        }
        try (FolderDir dir = archive.get()) {
            return pruneDir(dir, NioFolderFs.ARCHIVE_DIR, keepPerPath, clock.instant().minus(maxAge));
        }
    }

    private int pruneDir(FolderDir directory, String shown, int keep, Instant oldest) {
        Map<String, List<Version>> byBase = new HashMap<>();
        List<String> subdirs = new ArrayList<>();
        try {
            for (String name : directory.names()) {
                Optional<Version> v = parse(directory, name);
                if (v.isPresent() && !v.get().directory()) {
                    byBase.computeIfAbsent(v.get().base(), b -> new ArrayList<>()).add(v.get());
                } else if (directory.stat(name).map(BasicFileAttributes::isDirectory).orElse(false)) {
                    subdirs.add(name);
                }
            }
        } catch (IOException e) {
            log.warn("Cannot list archive directory {}: {}", root.resolve(shown), e.toString());
            return 0;
        }
        int deleted = 0;
        for (List<Version> versions : byBase.values()) {
            versions.sort(NEWEST_FIRST);
            for (int i = 0; i < versions.size(); i++) {
                Version v = versions.get(i);
                if (i >= keep || v.at().isBefore(oldest)) {
                    deleted += deleteQuietly(directory, v.name(), shown) ? 1 : 0;
                }
            }
        }
        byBase.clear();
        for (String sub : subdirs) {
            try (FolderDir child = directory.child(sub)) {
                deleted += pruneDir(child, shown + "/" + sub, keep, oldest);
            } catch (IOException e) {
                log.warn("Cannot open archive directory {}: {}", root.resolve(shown + "/" + sub), e.toString());
                continue;
            }
            try {
                directory.delete(sub);
            } catch (DirectoryNotEmptyException e) {
                // still holds versions: kept
            } catch (IOException e) {
                log.warn("Cannot remove empty archive directory {}: {}", root.resolve(shown + "/" + sub),
                        e.toString());
            }
        }
        return deleted;
    }

    private boolean deleteQuietly(FolderDir directory, String name, String shown) {
        try {
            return directory.delete(name);
        } catch (IOException e) {
            log.warn("Cannot delete archived version {}: {}", root.resolve(shown + "/" + name), e.toString());
            return false;
        }
    }

    private Optional<Version> parse(FolderDir directory, String name) throws IOException {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        Instant at;
        try {
            at = LocalDateTime.parse(m.group(2), STAMP).atZone(clock.getZone()).toInstant();
        } catch (DateTimeException e) {
            return Optional.empty();
        }
        Optional<BasicFileAttributes> found = directory.stat(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        BasicFileAttributes a = found.get();
        int counter = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
        return Optional.of(new Version(name, m.group(1), at, counter, a.isDirectory() ? 0 : a.size(), a.isDirectory()));
    }

    /** One parsed entry name: {@code base~stamp[-counter]}. */
    private record Version(String name, String base, Instant at, int counter, long size, boolean directory) {
    }
}
