package io.peersync.daemon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.daemon.config.MinFree;
import io.peersync.daemon.fs.FaultyFolderFs;
import io.peersync.daemon.fs.FolderFs;
import io.peersync.daemon.fs.NioFolderFs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpaceTest {
    @TempDir
    Path dir;

    @Test
    void aDownloadStartsOnlyWithRoomForItAndForTheMinimumAndForDownloadsUnderWay() throws Exception {
        FaultyFolderFs fs = new FaultyFolderFs(NioFolderFs.init(dir.resolve("folder")));
        fs.reportFreeSpace(100L << 20);
        MinFree keep = MinFree.parse("10MiB");
        DiskSpace space = new DiskSpace();
        assertEquals(Optional.empty(), space.reserve(fs, keep, 60L << 20));
        Optional<String> refused = space.reserve(fs, keep, 40L << 20);
        assertEquals(Optional.of("not enough space: need 50.0 MiB, have 40.0 MiB (40.0 MiB to download, 10.0 MiB "
                + "of the disk kept free)"), refused, "60 MiB are already on their way");
        space.release(60L << 20);
        assertEquals(Optional.empty(), space.reserve(fs, keep, 40L << 20), "room again once the first is done");
        assertTrue(refused.get().startsWith(DiskSpace.PREFIX));
        fs.reportFreeSpace(0);
        assertEquals(Optional.empty(), space.reserve(fs, keep, 0), "a deletion goes ahead on a full disk");
    }

    @Test
    void tempFilesOfVersionsNoLongerNeededAreCollectedAfterAGrace() {
        Instant now = Instant.parse("2026-12-02T12:00:00Z");
        Instant old = now.minus(DiskSpace.TEMP_GRACE).minusSeconds(1);
        List<FolderFs.TempFile> temps = List.of(
                new FolderFs.TempFile("pull-aaaa-1111.tmp", 10, old),
                new FolderFs.TempFile("pull-bbbb-2222.tmp", 20, old),
                new FolderFs.TempFile("pull-cccc-3333.tmp", 30, now.minusSeconds(5)),
                new FolderFs.TempFile("seal-something.tmp", 40, old));
        assertEquals(List.of(temps.get(1)), DiskSpace.unwanted(temps, Set.of("pull-aaaa-1111.tmp"), now),
                "a needed version's temp stays, so does one just begun and one that is not a pull's");
    }
}
