package io.peersync.daemon.config;

import java.time.Duration;

/** What the versions archive keeps: at most {@code keepVersions} per path, none archived longer than {@code maxAge} ago. */
public record ArchivePolicy(int keepVersions, Duration maxAge) {
    /** Five versions per path, thirty days. */
    public static final ArchivePolicy DEFAULT = new ArchivePolicy(5, Duration.ofDays(30));

    public ArchivePolicy {
        if (keepVersions < 1) {
            throw new IllegalArgumentException("keepVersions: " + keepVersions + " (expected: >= 1)");
        }
        if (maxAge == null || maxAge.isZero() || maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0)");
        }
    }
}
