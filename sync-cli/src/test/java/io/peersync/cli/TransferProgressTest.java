package io.peersync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.peersync.daemon.control.StatusView.FolderStatusView;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferProgressTest {
    private static final long MIB = 1024 * 1024;
    private static final long SECOND = 1_000_000_000L;

    private static FolderStatusView folder(long needBytes, long received, long copied) {
        return new FolderStatusView("F", "/f", "readwrite", "syncing", 1, MIB, 2, 101 * MIB, needBytes > 0 ? 1 : 0,
                needBytes, false, null, List.of(), 0, List.of(), received, copied, 0);
    }

    @Test
    void countsBytesAlreadyPulledIntoASetThatHasNotLandedWithRateAndEta() {
        TransferProgress p = new TransferProgress();
        assertEquals("[------------------------------]   0%  0 B of 100.0 MiB", p.line(folder(100 * MIB, 5 * MIB, 0), 0));
        // 20 MiB received and 10 MiB copied locally in 3 s: 10 MiB/s, 70 MiB to go.
        assertEquals("[#########---------------------]  30%  30.0 MiB of 100.0 MiB, 10.0 MiB/s, ETA 7 s",
                p.line(folder(100 * MIB, 25 * MIB, 10 * MIB), 3 * SECOND));
    }

    @Test
    void noLineOnceNothingIsNeededAndANewDownloadStartsAfresh() {
        TransferProgress p = new TransferProgress();
        p.line(folder(10 * MIB, 0, 0), 0);
        assertNull(p.line(folder(0, 10 * MIB, 0), SECOND));
        assertEquals("[------------------------------]   0%  0 B of 4.0 MiB", p.line(folder(4 * MIB, 10 * MIB, 0),
                2 * SECOND));
    }

    @Test
    void neverShowsAHundredPercentWhileTheSetHasNotLanded() {
        TransferProgress p = new TransferProgress();
        p.line(folder(MIB, 0, 0), 0);
        assertEquals("[#############################-]  99%  1.0 MiB of 1.0 MiB, 1.0 MiB/s, ETA 0 s",
                p.line(folder(MIB, MIB, 0), SECOND));
    }

    @Test
    void formatsLongEstimates() {
        assertEquals("59 s", TransferProgress.duration(59));
        assertEquals("2 min 05 s", TransferProgress.duration(125));
        assertEquals("1 h 01 min", TransferProgress.duration(3661));
    }
}
