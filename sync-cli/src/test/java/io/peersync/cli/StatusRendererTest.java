package io.peersync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peersync.daemon.control.StatusView.FolderStatusView;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusRendererTest {

    @Test
    void formatsBytesInBinaryUnits() {
        assertEquals("0 B", io.peersync.daemon.config.Sizes.human(0));
        assertEquals("1023 B", io.peersync.daemon.config.Sizes.human(1023));
        assertEquals("1.5 KiB", io.peersync.daemon.config.Sizes.human(1536));
        assertEquals("20.0 MiB", io.peersync.daemon.config.Sizes.human(20L * 1024 * 1024));
    }

    @Test
    void progressIsTheShareOfGlobalBytesPresent() {
        assertEquals(75, StatusRenderer.percent(folder(400, 100, 1)));
        assertEquals(100, StatusRenderer.percent(folder(0, 0, 0)));
        assertEquals(0, StatusRenderer.percent(folder(0, 0, 2)));
    }

    @Test
    void neverShowsCompleteWhileFilesAreNeeded() {
        assertEquals(99, StatusRenderer.percent(folder(1_000_000, 1, 1)));
    }

    @Test
    void drawsABarOfFixedWidth() {
        assertEquals("[###############---------------]  50%", StatusRenderer.bar(50));
    }

    private static FolderStatusView folder(long globalBytes, long needBytes, long needFiles) {
        return new FolderStatusView("F", "/p", "read-write", "syncing", 0, 0, 1, globalBytes,
                needFiles, needBytes, needFiles == 0, null, List.of());
    }
}
