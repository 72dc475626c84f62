package io.peersync.daemon.fs;

import io.peersync.protocol.FolderPath;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 * {@code <path>~<yyyyMMdd-HHmmss>[-n]} (stamped in the zone of the folder's clock), copies, listing and pruning.
 */
final class ArchiveDir {
    private static final Logger log = LoggerFactory.getLogger(ArchiveDir.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** Base name, stamp, optional counter; greedy so that a '~' in the base name stays in it. */
    private static final Pattern NAME = Pattern.compile("(.+)~(\\d{8}-\\d{6})(?:-(\\d{1,9}))?");
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final String PREFIX = NioFolderFs.ARCHIVE_DIR + "/";
    /** Newest first; the counter orders versions archived within the same second. */
    private static final Comparator<Version> NEWEST_FIRST =
            Comparator.comparing(Version::at).thenComparingInt(Version::counter).reversed();

    private final Path root;
    private final Path dir;
    private final Path tmpDir;
    private final Clock clock;

    ArchiveDir(Path root, Path tmpDir, Clock clock) {
        this.root = root;
        this.dir = root.resolve(NioFolderFs.ARCHIVE_DIR);
        this.tmpDir = tmpDir;
        this.clock = clock;
    }

    /**
     * Keeps a copy of {@code source} (the file or symlink at folder path {@code path}) under a fresh archive name,
     * leaving {@code source} in place: a hard link when the file store allows, else a full copy renamed in.
     */
    String keepCopy(String path, Path source, boolean symlink) throws IOException {
        String stamp = STAMP.format(clock.instant().atZone(clock.getZone()));
        for (int n = 1; ; n++) {
            String archived = PREFIX + path + "~" + stamp + (n == 1 ? "" : "-" + n);
            Path dest = root.resolve(archived);
            if (Files.exists(dest, NOFOLLOW)) {
                continue;
            }
            Files.createDirectories(dest.getParent());
            try {
                if (symlink) {
                    Files.createSymbolicLink(dest, Files.readSymbolicLink(source));
                } else {
                    linkOrCopy(source, dest);
                }
            } catch (FileAlreadyExistsException e) {
                continue; // taken since the check: try the next counter
            }
            fsync(dest.getParent());
            return archived;
        }
    }

    private void linkOrCopy(Path source, Path dest) throws IOException {
        try {
            Files.createLink(dest, source);
            return;
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("Cannot hard-link {} into the archive ({}); copying it", source, e.toString());
        }
        // Copied beside the other temp files first, so a crash never leaves a partial version in the archive.
        Path temp = tmpDir.resolve("archive-" + UUID.randomUUID());
        try {
            Files.copy(source, temp, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
            fsync(temp);
            if (Files.exists(dest, NOFOLLOW)) {
                throw new FileAlreadyExistsException(dest.toString());
            }
            Files.move(temp, dest, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The archived versions of folder path {@code path}, newest first. */
    List<ArchivedVersion> list(String path) throws IOException {
        FolderPath.validate(path);
        String parent = FolderPath.parent(path);
        String base = parent.isEmpty() ? path : path.substring(parent.length() + 1);
        Path archived = parent.isEmpty() ? dir : dir.resolve(parent);
        if (!isRealDirectory(archived)) {
            return List.of();
        }
        List<Version> versions = new ArrayList<>();
        String start = base + "~";
        DirectoryStream.Filter<Path> named = entry -> entry.getFileName().toString().startsWith(start);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(archived, named)) {
            for (Path entry : entries) {
                parse(entry).filter(v -> v.base().equals(base) && !v.directory()).ifPresent(versions::add);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        versions.sort(NEWEST_FIRST);
        String prefix = PREFIX + (parent.isEmpty() ? "" : parent + "/");
        return versions.stream().map(v -> new ArchivedVersion(prefix + v.name(), v.at(), v.size())).toList();
    }

    /** The archived version named by a folder-relative {@code archivePath}; refuses anything else. */
    Path resolve(String archivePath) throws IOException {
        if (archivePath == null || !archivePath.startsWith(PREFIX)) {
            throw new IllegalArgumentException("archivePath: " + archivePath + " (expected: under " + PREFIX + ")");
        }
        String inside = archivePath.substring(PREFIX.length());
        FolderPath.validate(inside);
        Path p = dir;
        String[] parts = inside.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            p = p.resolve(parts[i]);
            if (!isRealDirectory(p)) {
                throw new NoSuchFileException(root.resolve(archivePath).toString(), null, "no such archived version");
            }
        }
        Path version = p.resolve(parts[parts.length - 1]);
        Optional<Version> parsed = parse(version);
        if (parsed.isEmpty() || parsed.get().directory()) {
            throw new NoSuchFileException(version.toString(), null, "no such archived version");
        }
        return version;
    }

    /**
     * Deletes versions beyond the newest {@code keepPerPath} of each path and versions archived more than
     * {@code maxAge} ago, then empty directories; returns how many versions it deleted. Holds one directory's
     * listing at a time; entries that are not archive versions are left alone.
     */
    int prune(int keepPerPath, Duration maxAge) throws IOException {
        if (keepPerPath < 1) {
            throw new IllegalArgumentException("keepPerPath: " + keepPerPath + " (expected: >= 1)");
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0)");
        }
        if (!isRealDirectory(dir)) {
            return 0;
        }
        return pruneDir(dir, keepPerPath, clock.instant().minus(maxAge));
    }

    private int pruneDir(Path directory, int keep, Instant oldest) {
        Map<String, List<Version>> byBase = new HashMap<>();
        List<Path> subdirs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Optional<Version> v = parse(entry);
                if (v.isPresent() && !v.get().directory()) {
                    byBase.computeIfAbsent(v.get().base(), b -> new ArrayList<>()).add(v.get());
                } else if (isRealDirectory(entry)) {
                    subdirs.add(entry);
                }
            }
        } catch (IOException e) {
            log.warn("Cannot list archive directory {}: {}", directory, e.toString());
            return 0;
        }
        int deleted = 0;
        for (List<Version> versions : byBase.values()) {
            versions.sort(NEWEST_FIRST);
            for (int i = 0; i < versions.size(); i++) {
                Version v = versions.get(i);
                if (i >= keep || v.at().isBefore(oldest)) {
                    deleted += deleteQuietly(directory.resolve(v.name())) ? 1 : 0;
                }
            }
        }
        byBase.clear();
        for (Path sub : subdirs) {
            deleted += pruneDir(sub, keep, oldest);
            try {
                Files.deleteIfExists(sub);
            } catch (DirectoryNotEmptyException e) {
                // still holds versions: kept
            } catch (IOException e) {
                log.warn("Cannot remove empty archive directory {}: {}", sub, e.toString());
            }
        }
        return deleted;
    }

    private static boolean deleteQuietly(Path version) {
        try {
            return Files.deleteIfExists(version);
        } catch (IOException e) {
            log.warn("Cannot delete archived version {}: {}", version, e.toString());
            return false;
        }
    }

    private Optional<Version> parse(Path entry) throws IOException {
        String name = entry.getFileName().toString();
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
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(entry, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        int counter = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
        return Optional.of(new Version(name, m.group(1), at, counter, a.isDirectory() ? 0 : a.size(), a.isDirectory()));
    }

    /** Forces a file's content, or a directory's entries, to disk. */
    static void fsync(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static boolean isRealDirectory(Path p) {
        return Files.isDirectory(p, NOFOLLOW);
    }

    /** One parsed entry name: {@code base~stamp[-counter]}. */
    private record Version(String name, String base, Instant at, int counter, long size, boolean directory) {
    }
}
