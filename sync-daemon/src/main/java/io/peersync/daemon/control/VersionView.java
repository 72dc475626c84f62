package io.peersync.daemon.control;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One archived version of a file: the folder-relative {@code path} it belongs to, where the version is kept
 * ({@code archivePath}, folder-relative), when it was archived (ISO-8601 UTC, e.g. {@code 2026-11-28T13:05:00Z})
 * and its size in bytes.
 */
public record VersionView(String path, String archivePath, String archivedAt, long size) {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /**
     * Parses a time as users give it: ISO-8601 with a zone or offset ({@code 2026-11-28T13:05:00Z}), ISO-8601
     * without one, or an archive stamp ({@code 20261128-130500}); the last two are read as UTC, like the stamps
     * the daemon writes.
     */
    public static Instant parseTime(String text) {
        String t = text == null ? "" : text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException e) {
            // not with an offset: try the other forms
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            // not a local ISO time
        }
        try {
            return LocalDateTime.parse(t, STAMP).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Not a time: " + text
                    + " (expected: ISO-8601 like 2026-11-28T13:05:00Z, or yyyyMMdd-HHmmss in UTC).");
        }
    }
}
