package io.peersync.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ArchivePolicyTest {

    @Test
    void defaultKeepsFiveVersionsForThirtyDays() {
        assertEquals(new ArchivePolicy(5, Duration.ofDays(30)), ArchivePolicy.DEFAULT);
    }

    @Test
    void rejectsNoVersionsAndNonPositiveAges() {
        assertEquals("keepVersions: 0 (expected: >= 1)", assertThrows(IllegalArgumentException.class,
                () -> new ArchivePolicy(0, Duration.ofDays(1))).getMessage());
        assertEquals("maxAge: PT0S (expected: > 0)", assertThrows(IllegalArgumentException.class,
                () -> new ArchivePolicy(1, Duration.ZERO)).getMessage());
        assertEquals("maxAge: null (expected: > 0)", assertThrows(IllegalArgumentException.class,
                () -> new ArchivePolicy(1, null)).getMessage());
    }
}
