package io.peersync.daemon.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.peersync.daemon.index.rocks.RocksIndexStore;
import io.peersync.daemon.net.Connections;
import io.peersync.daemon.net.PeerConnection;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.secret.AccessLevel;
import io.peersync.protocol.secret.FolderSecret;
import io.peersync.protocol.wire.Message.IndexUpdate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a member peer is sent: every local record it has not seen, and a send always ends with an update that says
 * complete (a peer holds change sets back until it has one), also when the last page was exactly full and when the
 * socket was full halfway.
 */
class IndexExchangeTest {
    private static final NodeId SELF = NodeId.ofPublicKey(new byte[] {1});
    private static final NodeId PEER = NodeId.ofPublicKey(new byte[] {2});

    @TempDir
    Path dir;

    @Test
    void aSendWhoseLastPageIsExactlyFullStillEndsComplete() throws Exception {
        try (Setup s = new Setup(dir, IndexExchange.INDEX_BATCH * 2)) {
            s.join();
            List<IndexUpdate> sent = s.awaitComplete();
            assertEquals(IndexExchange.INDEX_BATCH * 2, records(sent));
            assertTrue(sent.get(sent.size() - 1).complete(), "the last update says complete");
            assertEquals(1, sent.stream().filter(IndexUpdate::complete).count(), "only the last one does");
        }
    }

    @Test
    void aSendResumedAfterTheSocketWasFullEndsComplete() throws Exception {
        try (Setup s = new Setup(dir, IndexExchange.INDEX_BATCH)) {
            s.writable(false);
            s.join();
            await().atMost(Duration.ofSeconds(5)).until(() -> s.member().resumeScheduled.get());
            assertTrue(s.outbound().isEmpty(), "nothing is queued while the socket is full");
            s.writable(true);
            List<IndexUpdate> sent = s.awaitComplete();
            assertEquals(IndexExchange.INDEX_BATCH, records(sent));
            assertTrue(sent.get(sent.size() - 1).complete());
        }
    }

    @Test
    void anEmptyIndexIsSentAsOneCompleteUpdate() throws Exception {
        try (Setup s = new Setup(dir, 0)) {
            s.join();
            List<IndexUpdate> sent = s.awaitComplete();
            assertEquals(1, sent.size());
            assertTrue(sent.get(0).records().isEmpty());
        }
    }

    @Test
    void anAnnounceWithNothingNewSendsNothing() throws Exception {
        try (Setup s = new Setup(dir, 3)) {
            s.join();
            s.awaitComplete();
            s.exchange.announce();
            s.drainWorker();
            assertTrue(s.outbound().isEmpty(), "no update for nothing new");
            assertFalse(s.member().owesComplete);
        }
    }

    private static int records(List<IndexUpdate> sent) {
        return sent.stream().mapToInt(u -> u.records().size()).sum();
    }

    /** A real index with {@code records} local records, the exchange, and one member on an embedded channel. */
    private static final class Setup implements AutoCloseable {
        final RocksIndexStore index;
        final FolderId id;
        final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
        final ExecutorService remote = Executors.newSingleThreadExecutor();
        final IndexExchange exchange;
        final EmbeddedChannel channel = new EmbeddedChannel();
        final PeerConnection connection = Connections.over(channel, SELF, PEER);
        private final List<IndexUpdate> received = new ArrayList<>();

        Setup(Path dir, int records) throws Exception {
            index = RocksIndexStore.open(dir.resolve("index"));
            FolderSecret secret = FolderSecret.generate();
            id = secret.folderId();
            List<FileRecord> local = new ArrayList<>();
            for (int i = 0; i < records; i++) {
                local.add(file("f" + i));
            }
            if (!local.isEmpty()) {
                index.commitLocal(id, local);
            }
            exchange = new IndexExchange(id, index, new IncomingRecords(secret, null), false, worker, remote, () -> {
            });
        }

        void join() {
            assertTrue(exchange.onMember(connection, AccessLevel.READ_WRITE));
        }

        Member member() {
            return exchange.member(connection).orElseThrow();
        }

        /**
         * The updates written to the channel since the last call. Read on the worker, the one thread that writes to
         * the channel (an embedded channel is not thread-safe).
         */
        List<IndexUpdate> outbound() throws Exception {
            return worker.submit(() -> {
                List<IndexUpdate> out = new ArrayList<>();
                channel.runPendingTasks();
                for (Object m; (m = channel.readOutbound()) != null; ) {
                    out.add((IndexUpdate) m);
                }
                return out;
            }).get();
        }

        /** Every update up to and including the first that says complete. */
        List<IndexUpdate> awaitComplete() {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                received.addAll(outbound());
                return received.stream().anyMatch(IndexUpdate::complete);
            });
            List<IndexUpdate> out = List.copyOf(received);
            received.clear();
            return out;
        }

        /** Makes the socket look full (false) or drained (true), on the worker. */
        void writable(boolean writable) throws Exception {
            worker.submit(() -> channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable)).get();
        }

        void drainWorker() throws Exception {
            worker.submit(() -> { }).get();
        }

        @Override
        public void close() throws Exception {
            worker.shutdownNow();
            remote.shutdownNow();
            worker.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            channel.finishAndReleaseAll();
            index.close();
        }

        private FileRecord file(String path) {
            byte[] content = path.getBytes(StandardCharsets.UTF_8);
            Hash h = Hash.sha256(content);
            return new FileRecord(path, FileType.FILE, content.length, 1_000_000_000L, 0644,
                    VersionVector.EMPTY.increment(SELF.shortId()), false, 0, SELF.shortId(), 128 * 1024,
                    List.of(new BlockRef(0, content.length, h)), h, "");
        }
    }
}
