package io.peersync.daemon.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.daemon.fs.NioFolderFs;
import io.peersync.daemon.index.rocks.RocksIndexStore;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.Hash;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.secret.FolderSecret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder that thousands of nodes wrote to over its life (an autoscaled cluster) still scans and syncs. */
class ManyWritersTest {
    @TempDir
    Path dir;

    @Test
    void aFileWithThousandsOfWritersGetsANewVersionAndAVectorThatCannotGrowFailsOnlyItsFile() throws Exception {
        ExecutorService io = Executors.newFixedThreadPool(2);
        ExecutorService hashers = Executors.newFixedThreadPool(1);
        try (RocksIndexStore index = RocksIndexStore.open(dir.resolve("index"))) {
            FolderSecret secret = FolderSecret.generate();
            NodeId self = NodeId.ofPublicKey(new byte[] {1});
            NioFolderFs fs = NioFolderFs.init(dir.resolve("folder"));
            FolderSync folder = new FolderSync(secret, fs, index, self, io, hashers, Clock.systemUTC());
            Files.writeString(fs.root().resolve("shared.php"), "<?php // written by this node now\n");
            Files.writeString(fs.root().resolve("full.php"), "<?php // the vector of this one is full\n");
            Files.writeString(fs.root().resolve("other.php"), "<?php // a new file\n");
            // As the index has them after 3,000 (and 65,535) other nodes wrote these files, with other content.
            index.commitLocal(folder.id(), List.of(
                    earlier("shared.php", writers(3000)), earlier("full.php", writers(VersionVector.MAX_ENTRIES))));
            folder.start();
            try {
                await("the scan committed the edit and the new file").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> index.local(folder.id(), "other.php").isPresent()
                                && index.local(folder.id(), "shared.php").map(r -> r.size() > 1).orElse(false));
                FileRecord shared = index.local(folder.id(), "shared.php").orElseThrow();
                assertEquals(3001, shared.version().counters().size());
                assertEquals(VersionVector.Order.GREATER, shared.version().compare(writers(3000)));
                assertTrue(shared.sealed() != null, "signed");
                Optional<FileRecord> full = index.local(folder.id(), "full.php");
                assertEquals(1, full.orElseThrow().size(), "a vector that cannot grow keeps its file unsynced");
                assertNull(folder.state().error(), "the folder is not in error");
            } finally {
                folder.close();
            }
        } finally {
            io.shutdownNow();
            hashers.shutdownNow();
        }
    }

    private static VersionVector writers(int n) {
        Map<Long, Long> counters = new HashMap<>();
        for (long node = 2; node < 2 + n; node++) {
            counters.put(node * 1_000_003L, 5L);
        }
        return VersionVector.of(counters);
    }

    private static FileRecord earlier(String path, VersionVector version) {
        byte[] content = {'x'};
        return new FileRecord(path, FileType.FILE, 1, 1_000_000_000L, 0644, version, false, 0, 2_000_003L, 128 * 1024,
                List.of(new io.peersync.protocol.BlockRef(0, 1, Hash.sha256(content))), Hash.sha256(content), "");
    }
}
