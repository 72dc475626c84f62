package io.peersync.daemon.config;

import java.time.Duration;

/**
 * Per-folder options, all optional (null = the default): the after-sync hook command, archive retention, the
 * owner and group given to files sync writes (for a daemon running as root serving files to e.g. www-data), and
 * the free space pulls leave on the disk ({@link MinFree}, as text).
 */
public record FolderSettings(String hook, Integer keepVersions, Integer keepDays, String owner, String group,
                             String minFree) {
    public static final FolderSettings DEFAULT = new FolderSettings(null, null, null, null, null, null);

    public FolderSettings {
        if (keepVersions != null && keepVersions < 1) {
            throw new IllegalArgumentException("keepVersions: " + keepVersions + " (expected: >= 1)");
        }
        if (keepDays != null && keepDays < 1) {
            throw new IllegalArgumentException("keepDays: " + keepDays + " (expected: >= 1)");
        }
        hook = blankToNull(hook);
        owner = blankToNull(owner);
        group = blankToNull(group);
        minFree = blankToNull(minFree);
        if (minFree != null) {
            MinFree.parse(minFree);
        }
    }

    /** The free space to keep: as set, or {@link MinFree#DEFAULT}. */
    public MinFree minFreeOrDefault() {
        return minFree != null ? MinFree.parse(minFree) : MinFree.DEFAULT;
    }

    /** These settings with every non-null field of {@code changes} applied. */
    public FolderSettings with(FolderSettings changes) {
        return new FolderSettings(
                changes.hook != null ? changes.hook : hook,
                changes.keepVersions != null ? changes.keepVersions : keepVersions,
                changes.keepDays != null ? changes.keepDays : keepDays,
                changes.owner != null ? changes.owner : owner,
                changes.group != null ? changes.group : group,
                changes.minFree != null ? changes.minFree : minFree);
    }

    public FolderSettings withoutHook() {
        return new FolderSettings(null, keepVersions, keepDays, owner, group, minFree);
    }

    public ArchivePolicy archivePolicy() {
        return new ArchivePolicy(keepVersions != null ? keepVersions : ArchivePolicy.DEFAULT.keepVersions(),
                keepDays != null ? Duration.ofDays(keepDays) : ArchivePolicy.DEFAULT.maxAge());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
