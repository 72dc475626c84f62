package io.peersync.daemon.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.daemon.fs.NioFolderFs;
import io.peersync.daemon.index.rocks.RocksIndexStore;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.Hash;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.secret.FolderSecret;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The puller over 100,000 needed files in a heap far smaller than their records (run by its own surefire execution
 * with -Xmx64m): it must page through the index and let go of what it has handled, never hold the whole need.
 */
class BoundedPullTest {
    private static final int FILES = 100_000;
    private static final int BLOCKS = 16;
    private static final int BLOCK = 128 * 1024;

    @TempDir
    Path dir;

    @Test
    void aPassOverAHundredThousandNeededFilesStaysWithinASmallHeap() throws Exception {
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertTrue(maxHeap <= 128L * 1024 * 1024, "this test needs a small heap (-Xmx64m); it has " + maxHeap);
        ExecutorService io = Executors.newFixedThreadPool(2);
        ExecutorService hashers = Executors.newFixedThreadPool(1);
        try (RocksIndexStore index = RocksIndexStore.open(dir.resolve("index"))) {
            FolderSecret secret = FolderSecret.generate();
            NodeId self = NodeId.ofPublicKey(new byte[] {1});
            NodeId peer = NodeId.ofPublicKey(new byte[] {2});
            FolderSync folder = new FolderSync(secret, NioFolderFs.init(dir.resolve("folder")), index, self, io,
                    hashers, Clock.systemUTC());
            for (int batch = 0; batch < FILES / 1000; batch++) {
                List<FileRecord> records = new ArrayList<>(1000);
                for (int i = 0; i < 1000; i++) {
                    records.add(record(peer, batch * 1000 + i));
                }
                index.applyRemote(folder.id(), peer, records);
            }
            assertEquals(FILES, index.counts(folder.id()).needFiles());
            folder.start();
            try {
                // No peer is connected, so every download fails at once; what matters is that a whole pass over
                // 100,000 records (about 16 MiB of blocks, ~160 MB as objects) finishes in a 64 MiB heap.
                await("one whole puller pass").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                        .until(() -> folder.counters.passes.get() >= 1);
                assertEquals(FILES, index.counts(folder.id()).needFiles(), "nothing could be pulled");
            } finally {
                folder.close();
            }
        } finally {
            io.shutdownNow();
            hashers.shutdownNow();
        }
    }

    private static FileRecord record(NodeId peer, int n) {
        List<BlockRef> blocks = new ArrayList<>(BLOCKS);
        for (int b = 0; b < BLOCKS; b++) {
            blocks.add(new BlockRef((long) b * BLOCK, BLOCK, Hash.sha256(ByteBuffer.allocate(8).putInt(n).putInt(b).array())));
        }
        String path = String.format("plugins/p%03d/file-%06d.php", n % 500, n);
        return new FileRecord(path, FileType.FILE, (long) BLOCKS * BLOCK, 1_000_000_000L, 0644,
                VersionVector.EMPTY.increment(peer.shortId()), false, n + 1, peer.shortId(), BLOCK, blocks,
                Hash.sha256(ByteBuffer.allocate(4).putInt(n).array()), "");
    }
}
