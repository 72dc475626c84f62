package io.peersync.daemon.engine;

import io.peersync.daemon.config.MinFree;
import io.peersync.daemon.config.Sizes;
import io.peersync.daemon.fs.FolderFs;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a folder's minimum of free space: a download starts only if the disk has room for it on top of the
 * minimum and of the downloads already under way; otherwise the folder shows why, and the puller tries again
 * later, by itself. Also finds the temp files no needed version will use any more, to be collected.
 */
final class DiskSpace {
    private static final Logger log = LoggerFactory.getLogger(DiskSpace.class);
    /** Every folder error this class makes starts with it; a clean pull pass clears it. */
    static final String PREFIX = "not enough space: ";
    /** A temp file changed this recently may belong to a download that started after the pass listed the need. */
    static final Duration TEMP_GRACE = Duration.ofMinutes(1);

    private final AtomicLong reserved = new AtomicLong();

    /**
     * Reserves room for {@code bytes} more on {@code fs}, keeping {@code min} free: empty when reserved (give it back
     * with {@link #release}), else the folder error to show.
     */
    Optional<String> reserve(FolderFs fs, MinFree min, long bytes) throws IOException {
        if (bytes == 0) {
            return Optional.empty(); // deletions and empty files need no room, and may be what frees it
        }
        long keep = min.of(fs.totalSpace());
        long have = fs.freeSpace() - reserved.get();
        long need = bytes + keep;
        if (have < need) {
            return Optional.of(PREFIX + "need " + Sizes.human(need) + ", have " + Sizes.human(Math.max(0, have))
                    + " (" + Sizes.human(bytes) + " to download, " + min + " of the disk kept free)");
        }
        reserved.addAndGet(bytes);
        return Optional.empty();
    }

    /**
     * {@link #reserve(FolderFs, MinFree, long)} on the folder's disk under its minimum; a disk whose free space
     * cannot be read is pulled into anyway (logged), as a full disk then fails the write, which loses nothing.
     */
    Optional<String> reserve(PullTarget folder, long bytes) {
        try {
            return reserve(folder.fs(), folder.minFree(), bytes);
        } catch (IOException e) {
            log.info("Folder {}: cannot read the free space of the disk ({}); pulling anyway", folder.id(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    /**
     * The pull temp files among {@code temps} that no version in {@code wanted} (the temp names of everything still
     * needed) will use: left by versions superseded since their download began.
     */
    static List<FolderFs.TempFile> unwanted(List<FolderFs.TempFile> temps, Set<String> wanted, Instant now) {
        List<FolderFs.TempFile> out = new ArrayList<>();
        for (FolderFs.TempFile t : temps) {
            if (t.name().startsWith("pull-") && !wanted.contains(t.name())
                    && t.changed().isBefore(now.minus(TEMP_GRACE))) {
                out.add(t);
            }
        }
        return out;
    }
}
