package io.peersync.daemon.net;

import static io.peersync.daemon.net.LoopbackNodes.address;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.wire.Message.BlockRequest;
import io.peersync.protocol.wire.Message.BlockResponse;
import io.peersync.protocol.wire.Message.IndexUpdate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two or more {@link PeerNetwork}s in one JVM, talking TLS over real loopback sockets. */
class PeerNetworkTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final FolderId FOLDER = FolderId.ofBytes(new byte[FolderId.BYTES]);
    private static final byte[] CONTENT = "hello, peer".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path homes;
    LoopbackNodes nodes;
    final RecordingListener atA = new RecordingListener();
    final RecordingListener atB = new RecordingListener();

    @BeforeEach
    void setUp() {
        nodes = new LoopbackNodes(homes);
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    @Test
    void bothSidesSeeTheOtherNodeAfterOneDials() throws Exception {
        PeerNetwork a = nodes.start("a", atA);
        PeerNetwork b = nodes.start("b", atB);

        b.addPeer(address(a), true);

        await().atMost(WAIT).until(() -> atA.connected().size() == 1 && atB.connected().size() == 1);
        PeerConnection inbound = atA.connected().get(0);
        PeerConnection outbound = atB.connected().get(0);
        // The node ids come from the certificates TLS verified, so they match the identities on disk.
        assertEquals(nodes.identity("b").nodeId(), inbound.remote());
        assertEquals(nodes.identity("a").nodeId(), outbound.remote());
        assertEquals(a.self(), inbound.self());
        assertFalse(inbound.outbound());
        assertTrue(outbound.outbound());
        assertEquals(address(a), outbound.address());
        assertEquals(address(b), inbound.address(), "inbound address: the peer's IP and the listen port it announced");
        // Membership proofs bind both nonces, so each side must see the other's as remote.
        assertArrayEquals(inbound.localNonce(), outbound.remoteNonce());
        assertArrayEquals(inbound.remoteNonce(), outbound.localNonce());
        assertEquals(Optional.of(inbound), a.connection(b.self()));
        assertEquals(List.of(new PeerNetwork.KnownPeer(address(a), a.self(), true, true)), b.knownPeers());
        // Both contexts enable TLS 1.3 alone, so the handshake that just succeeded negotiated it.
        assertEquals(List.of("TLSv1.3"), enabledProtocols(nodes.tls("a")));
        assertEquals(List.of("TLSv1.3"), enabledProtocols(nodes.tls("b")));
    }

    @Test
    void boringSslAndJdkTlsNodesTalk() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.handler.ssl.OpenSsl.isAvailable(),
                "netty-tcnative is for Linux x86-64");
        assertEquals("BoringSSL", nodes.tls("a").implementation(), "BoringSSL is the default where it loads");
        nodes.useJdkTls("b");
        assertEquals("JDK", nodes.tls("b").implementation());
        PeerNetwork a = nodes.start("a", atA);
        PeerNetwork b = nodes.start("b", atB);
        b.addPeer(address(a), true);
        await().atMost(WAIT).until(() -> atB.connected().size() == 1);

        IndexUpdate update = new IndexUpdate(FOLDER, true, List.of(fileRecord("docs/readme.txt", CONTENT)));
        atB.connected().get(0).send(update);
        await().atMost(WAIT).until(() -> atA.messages().contains(update));
        assertEquals(b.self(), atA.connected().get(0).remote(), "A knows B by its key, whatever B's TLS");
    }

    @RepeatedTest(3)
    void simultaneousDialsKeepOnlyTheConnectionDialedByTheLowerNode() throws Exception {
        PeerNetwork a = nodes.start("a", atA);
        PeerNetwork b = nodes.start("b", atB);
        NodeId lower = a.self().compareTo(b.self()) < 0 ? a.self() : b.self();

        a.addPeer(address(b), true);
        b.addPeer(address(a), true);

        await().atMost(WAIT).until(() -> keptOne(a, atA, b.self(), lower) && keptOne(b, atB, a.self(), lower));
        PeerConnection keptAtA = a.connection(b.self()).orElseThrow();
        PeerConnection keptAtB = b.connection(a.self()).orElseThrow();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> keptOne(a, atA, b.self(), lower) && keptOne(b, atB, a.self(), lower)
                        && keptAtA.isActive() && keptAtB.isActive()
                        && !atA.disconnected().contains(keptAtA) && !atB.disconnected().contains(keptAtB));
        assertEquals(keptAtA.outbound(), !keptAtB.outbound(), "both sides kept the same TCP connection");
    }

    /** Exactly one live connection to {@code remote}, dialed by {@code lower}, and the listener's latest report. */
    private static boolean keptOne(PeerNetwork network, RecordingListener listener, NodeId remote, NodeId lower) {
        List<PeerConnection> all = List.copyOf(network.connections());
        if (all.size() != 1 || !all.get(0).isActive() || !all.get(0).remote().equals(remote)
                || !all.get(0).dialer().equals(lower)) {
            return false;
        }
        List<PeerConnection> reported = listener.connected();
        return !reported.isEmpty() && reported.get(reported.size() - 1) == all.get(0);
    }

    @Test
    void noticesItDialedItselfAndStopsDialingThatAddress() throws Exception {
        PeerNetwork a = nodes.start("a", atA);
        try (TcpProxy alias = new TcpProxy(a.listenPort())) {
            a.addPeer(alias.address(), true);
            a.addPeer(address(a), true);

            await().atMost(WAIT).until(() -> a.knownPeers().isEmpty());
            // A redial would come within the first backoff step (at most 250 ms): none may come at all.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> alias.accepted() == 1);
            a.addPeer(alias.address(), true);
            assertEquals(List.of(), a.knownPeers(), "a known self address is never dialed again");
            assertEquals(1, alias.accepted());
        }
        assertEquals(List.of(), atA.events());
        assertTrue(a.connections().isEmpty());
    }

    @Test
    void aSecondAddressOfAConnectedNodeIsNotRedialed() throws Exception {
        PeerNetwork a = nodes.start("a", atA);
        PeerNetwork b = nodes.start("b", atB);
        b.addPeer(address(a), true);
        await().atMost(WAIT).until(() -> b.connection(a.self()).isPresent());
        PeerConnection first = b.connection(a.self()).orElseThrow();

        try (TcpProxy alias = new TcpProxy(a.listenPort())) {
            // Another address of A, as gossip can teach: the second connection is refused as a duplicate.
            b.addPeer(alias.address(), false);
            await().atMost(WAIT).until(() -> alias.accepted() == 1 && b.knownPeers().stream()
                    .anyMatch(p -> p.address().equals(alias.address()) && a.self().equals(p.node()) && p.connected()));
            // A redial would come within the first backoff step (at most 250 ms): none may come at all.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> alias.accepted() == 1);
        }
        assertEquals(List.of(first), List.copyOf(b.connections()));
        assertEquals(List.of(first), atB.connected());
        assertTrue(first.isActive());
    }

    @Test
    void deliversMessagesToTheListenerAndMatchesBlockResponsesToRequests() throws Exception {
        PeerNetwork a = nodes.start("a", atA);
        PeerNetwork b = nodes.start("b", atB);
        atA.respondWith((connection, message) -> {
            if (message instanceof BlockRequest r) {
                connection.send(r.path().equals("missing") ? BlockResponse.failed(r.id(), BlockResponse.Status.NOT_FOUND)
                        : BlockResponse.ok(r.id(), blockData(r.path(), r.offset())));
            }
        });
        b.addPeer(address(a), true);
        await().atMost(WAIT).until(() -> atB.connected().size() == 1);
        PeerConnection toA = atB.connected().get(0);

        IndexUpdate update = new IndexUpdate(FOLDER, true, List.of(fileRecord("docs/readme.txt", CONTENT)));
        toA.send(update);
        await().atMost(WAIT).until(() -> atA.messages().contains(update));

        BlockResponse one = toA.requestBlock(FOLDER, "docs/readme.txt", 0, CONTENT.length, Hash.sha256(CONTENT))
                .get(5, TimeUnit.SECONDS);
        assertEquals(BlockResponse.Status.OK, one.status());
        assertArrayEquals(blockData("docs/readme.txt", 0), one.data());
        BlockRequest seen = (BlockRequest) atA.messages().get(1);
        assertEquals(new BlockRequest(seen.id(), FOLDER, "docs/readme.txt", 0, CONTENT.length, Hash.sha256(CONTENT)),
                seen);

        // Many requests in flight at once: each answer completes the request with its id.
        List<CompletableFuture<BlockResponse>> inFlight = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            inFlight.add(toA.requestBlock(FOLDER, "big.bin", i * 1024L, 1024, Hash.sha256(new byte[0])));
        }
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(blockData("big.bin", i * 1024L), inFlight.get(i).get(5, TimeUnit.SECONDS).data());
        }
        BlockResponse missing = toA.requestBlock(FOLDER, "missing", 0, 1, Hash.sha256(new byte[0]))
                .get(5, TimeUnit.SECONDS);
        assertEquals(BlockResponse.Status.NOT_FOUND, missing.status());

        assertEquals(List.of(), atB.messages(), "block responses go to the waiting request, not the listener");
        long expectedBytes = blockData("docs/readme.txt", 0).length;
        for (int i = 0; i < 50; i++) {
            expectedBytes += blockData("big.bin", i * 1024L).length;
        }
        assertEquals(expectedBytes, toA.bytesReceived());
    }

    @Test
    void aHeldConnectionReadsNothingMoreUntilEveryHoldIsReleased() throws Exception {
        PeerNetwork a = nodes.start("a", atA);
        PeerNetwork b = nodes.start("b", atB);
        java.util.concurrent.atomic.AtomicReference<PeerConnection.ReadHold> hold =
                new java.util.concurrent.atomic.AtomicReference<>();
        atA.respondWith((connection, message) -> {
            if (hold.get() == null) {
                hold.set(connection.holdReading());
            }
        });
        b.addPeer(address(a), true);
        await().atMost(WAIT).until(() -> atB.connected().size() == 1 && atA.connected().size() == 1);
        PeerConnection toA = atB.connected().get(0);
        PeerConnection atAToB = atA.connected().get(0);

        // About 280 kB each; one read takes in at most about 1 MB, the rest waits in the socket or at B.
        List<FileRecord> records = new ArrayList<>();
        for (int i = 0; i < 375; i++) {
            records.add(fileRecord("p" + i + "/" + "x".repeat(200) + "/" + "y".repeat(200) + "/" + "z".repeat(200),
                    CONTENT));
        }
        int sent = 24;
        for (int i = 0; i < sent; i++) {
            toA.send(new IndexUpdate(FOLDER, i == sent - 1, records));
        }
        await().atMost(WAIT).until(() -> hold.get() != null);
        PeerConnection.ReadHold second = atAToB.holdReading();

        java.util.concurrent.atomic.AtomicInteger last = new java.util.concurrent.atomic.AtomicInteger(-1);
        await("arrivals stop").atMost(WAIT).pollInterval(Duration.ofMillis(300))
                .until(() -> last.getAndSet(atA.messages().size()) == atA.messages().size());
        int seen = atA.messages().size();
        assertTrue(seen < sent, "all " + sent + " updates were read although reading was held");
        assertTrue(atAToB.readingHeld());

        hold.get().release();
        hold.get().release(); // a second release of one hold does nothing
        await("still held by the second hold").during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> atA.messages().size() == seen);
        second.release();
        await("everything arrives once released").atMost(WAIT).until(() -> atA.messages().size() == sent);
        assertFalse(atAToB.readingHeld());
        assertEquals(new IndexUpdate(FOLDER, true, records), atA.messages().get(sent - 1));
    }

    @Test
    void aLearnedAddressThatNeverAnswersIsForgottenAStaticOneIsNot() throws Exception {
        PeerNetwork a = nodes.start("a", 0, atA, Duration.ofMillis(5));
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort(); // closed again: connections to it are refused
        }
        String learned = "127.0.0.1:" + dead;
        a.learn(List.of(learned));
        a.addPeer("127.0.0.2:" + dead, true);
        assertEquals(2, a.knownPeers().size());

        await().atMost(WAIT).until(() -> a.knownPeers().stream().noneMatch(p -> p.address().equals(learned)));
        assertEquals(List.of("127.0.0.2:" + dead), a.knownPeers().stream().map(PeerNetwork.KnownPeer::address).toList(),
                "the static peer is kept and dialed on");
        a.learn(List.of(learned));
        assertTrue(a.knownPeers().stream().anyMatch(p -> p.address().equals(learned)), "it can be learned again");
    }

    @Test
    void releasingAHoldAfterTheNetworkStoppedIsHarmless() throws Exception {
        PeerNetwork a = nodes.start("a", atA);
        PeerNetwork b = nodes.start("b", atB);
        b.addPeer(address(a), true);
        await().atMost(WAIT).until(() -> atA.connected().size() == 1);
        PeerConnection.ReadHold hold = atA.connected().get(0).holdReading();

        a.close();

        org.junit.jupiter.api.Assertions.assertDoesNotThrow(hold::release);
    }

    @Test
    void closingOneSideDisconnectsTheOtherAndAStaticPeerReconnectsAfterRestart() throws Exception {
        PeerNetwork a = nodes.start("a", atA);
        PeerNetwork b = nodes.start("b", atB);
        b.addPeer(address(a), true);
        await().atMost(WAIT).until(() -> atB.connected().size() == 1);
        PeerConnection toA = atB.connected().get(0);
        // A never answers, so the request is still pending when A goes away.
        CompletableFuture<BlockResponse> pending = toA.requestBlock(FOLDER, "f", 0, 1, Hash.sha256(new byte[0]));
        await().atMost(WAIT).until(() -> atA.messages().size() == 1);

        int port = a.listenPort();
        a.close();

        await().atMost(WAIT).until(() -> atB.disconnected().contains(toA));
        assertEquals(atA.connected(), atA.disconnected(), "the closing side reports its own connections gone too");
        ExecutionException failed = assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, failed.getCause());
        assertFalse(toA.isActive());
        assertEquals(Optional.empty(), b.connection(a.self()));
        ExecutionException late = assertThrows(ExecutionException.class,
                () -> toA.requestBlock(FOLDER, "f", 0, 1, Hash.sha256(new byte[0])).get(5, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, late.getCause());

        RecordingListener atRestartedA = new RecordingListener();
        PeerNetwork restarted = nodes.start("a", port, atRestartedA);

        await().atMost(WAIT).until(() -> atRestartedA.connected().size() == 1 && atB.connected().size() == 2);
        assertEquals(b.self(), atRestartedA.connected().get(0).remote());
        assertEquals(restarted.self(), atB.connected().get(1).remote());
        assertTrue(atB.connected().get(1).outbound(), "B dialed again: A knows no peers after its restart");
    }

    private static List<String> enabledProtocols(TlsContexts tls) {
        SSLEngine server = tls.server().newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine client = tls.client().newEngine(ByteBufAllocator.DEFAULT);
        assertEquals(List.of(server.getEnabledProtocols()), List.of(client.getEnabledProtocols()));
        // OpenSSL engines list SSLv2Hello too: a hello format, not a protocol version (HostileClientTest shows a
        // TLS 1.2 client is refused).
        return java.util.Arrays.stream(client.getEnabledProtocols()).filter(p -> !p.equals("SSLv2Hello")).toList();
    }

    /** Distinct bytes per (path, offset), so a response matched to the wrong request shows. */
    private static byte[] blockData(String path, long offset) {
        return (path + "@" + offset).getBytes(StandardCharsets.UTF_8);
    }

    private static FileRecord fileRecord(String path, byte[] content) {
        Hash hash = Hash.sha256(content);
        return new FileRecord(path, FileType.FILE, content.length, 1_700_000_000_000_000_000L, 0644,
                VersionVector.of(Map.of(1L, 1L)), false, 1, 1, content.length,
                List.of(new BlockRef(0, content.length, hash)), hash, "");
    }
}
