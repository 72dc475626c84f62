package io.peersync.daemon.ignore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder's {@code .peersyncignore}, re-read only when its size, modification time or file identity changes, so
 * that {@link #current()} can be called before every scan. A symlink there is refused, never followed: the daemon
 * may run as root, and the rules' problems are logged with the lines they are on. Thread-safe.
 */
public final class IgnoreFile {
    /** The file name, at the folder root. */
    public static final String NAME = ".peersyncignore";
    /** Larger files are refused rather than parsed; a real ignore file is a few hundred bytes. */
    public static final int MAX_BYTES = 1024 * 1024;
    /**
     * A file modified this close to when it was read may change again without its (size, mtime) changing on a
     * filesystem with coarse timestamps; such a read is not trusted and the next call reads again (git's
     * "racy clean" problem).
     */
    static final Duration RACY_WINDOW = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(IgnoreFile.class);

    private final Path file;
    private final Clock clock;
    private Loaded loaded; // guarded by this

    private record Stamp(long size, FileTime modified, Object fileKey) {
    }

    private record Loaded(Stamp stamp, String text, IgnoreRules rules, boolean racy) {
    }

    private IgnoreFile(Path folderRoot, Clock clock) {
        this.file = Objects.requireNonNull(folderRoot, "folderRoot").resolve(NAME);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The ignore file of the folder rooted at {@code folderRoot}; nothing is read until {@link #current()}. */
    public static IgnoreFile of(Path folderRoot) {
        return of(folderRoot, Clock.systemUTC());
    }

    /** As {@link #of(Path)}, with the clock that decides whether a just-modified file can be trusted. */
    public static IgnoreFile of(Path folderRoot, Clock clock) {
        return new IgnoreFile(folderRoot, clock);
    }

    /** Where the rules are read from. */
    public Path path() {
        return file;
    }

    /**
     * The rules as the file is now: {@link IgnoreRules#none()} when it does not exist, the cached rules when it has
     * not changed since the last call.
     *
     * @throws IOException when the file exists but cannot be read or is larger than {@link #MAX_BYTES}; callers
     *                     should not scan then, since scanning without the rules would sync what the user ignored
     */
    public synchronized IgnoreRules current() throws IOException {
        Stamp stamp = stat();
        if (loaded != null && !loaded.racy() && Objects.equals(loaded.stamp(), stamp)) {
            return loaded.rules();
        }
        if (stamp == null) {
            loaded = new Loaded(null, "", IgnoreRules.none(), false);
            return loaded.rules();
        }
        // Stat before read: a change after the stat leaves a stale stamp, which only costs one more read.
        boolean racy = !stamp.modified().toInstant().plus(RACY_WINDOW).isBefore(clock.instant());
        String text = read();
        if (text == null) {
            loaded = new Loaded(null, "", IgnoreRules.none(), false);
            return loaded.rules();
        }
        IgnoreRules rules;
        if (loaded != null && loaded.text().equals(text)) {
            rules = loaded.rules();
        } else {
            rules = IgnoreRules.parse(text);
            for (String problem : rules.problems()) {
                log.warn("{}: {}", file, problem);
            }
        }
        loaded = new Loaded(stamp, text, rules, racy);
        return rules;
    }

    private Stamp stat() throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!attrs.isRegularFile()) {
            throw new IOException(file + ": not a regular file (expected: the folder's ignore rules)");
        }
        return new Stamp(attrs.size(), attrs.lastModifiedTime(), attrs.fileKey());
    }

    /** The file's text, or null when it was deleted since the stat. */
    private String read() throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) { // a symlink is refused
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (bytes.length > MAX_BYTES) {
            throw new IOException(file + ": more than " + MAX_BYTES + " bytes (expected: at most " + MAX_BYTES + ")");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
