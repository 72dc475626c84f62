package io.peersync.daemon.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.secret.FolderSecret;
import io.peersync.protocol.wire.Announcement;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Discovery over the loopback broadcast address 127.255.255.255, which Linux delivers to every socket on the port. */
class LanDiscoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<LanDiscovery> started = new ArrayList<>();

    record Found(NodeId node, String address) {
    }

    private static NodeId node(String name) {
        return NodeId.ofPublicKey(name.getBytes(StandardCharsets.UTF_8));
    }

    private static InetSocketAddress target() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return new InetSocketAddress("127.255.255.255", s.getLocalPort());
        }
    }

    private LanDiscovery start(NodeId self, int listenPort, InetSocketAddress target, List<FolderSecret> folders,
                               List<Found> found) throws InterruptedException {
        LanDiscovery d = new LanDiscovery(self, listenPort, target, () -> folders,
                (node, address) -> found.add(new Found(node, address)));
        d.start();
        started.add(d);
        return d;
    }

    @AfterEach
    void tearDown() {
        started.forEach(LanDiscovery::close);
    }

    @Test
    void nodesSharingAFolderFindEachOtherAndNoOneElse() throws Exception {
        InetSocketAddress target = target();
        FolderSecret shared = FolderSecret.generate();
        FolderSecret other = FolderSecret.generate();
        List<Found> atA = new CopyOnWriteArrayList<>();
        List<Found> atB = new CopyOnWriteArrayList<>();
        List<Found> atC = new CopyOnWriteArrayList<>();
        // A holds the read-write secret, B only the encrypted one: the levels of one folder find each other.
        LanDiscovery a = start(node("a"), 41001, target, List.of(shared), atA);
        LanDiscovery b = start(node("b"), 41002, target, List.of(other, shared.encrypted().orElseThrow()), atB);
        LanDiscovery c = start(node("c"), 41003, target, List.of(FolderSecret.generate()), atC);
        a.announce();
        b.announce();
        c.announce();

        await().atMost(WAIT).until(() -> !atA.isEmpty() && !atB.isEmpty());
        assertEquals(new Found(node("b"), "127.0.0.1:41002"), atA.get(0));
        assertEquals(new Found(node("a"), "127.0.0.1:41001"), atB.get(0));
        // C heard both (and they heard C) but shares nothing with them: it learns nothing, nor they of it.
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> atC.isEmpty()
                && atA.stream().allMatch(f -> f.node().equals(node("b")))
                && atB.stream().allMatch(f -> f.node().equals(node("a"))));
    }

    @Test
    void dropsMalformedAndForeignDatagramsAndKeepsListening() throws Exception {
        InetSocketAddress target = target();
        FolderSecret shared = FolderSecret.generate();
        List<Found> found = new CopyOnWriteArrayList<>();
        start(node("a"), 41001, target, List.of(shared), found);

        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setBroadcast(true);
            byte[] junk = "not an announcement at all, just some bytes of the right size or not".getBytes(
                    StandardCharsets.UTF_8);
            s.send(new DatagramPacket(junk, junk.length, target));
            byte[] huge = new byte[4000];
            s.send(new DatagramPacket(huge, huge.length, target));
            // A well-formed announcement whose tag is for this folder but made for another port: forged.
            byte[] nonce = new byte[Announcement.NONCE_BYTES];
            byte[] tagForOtherPort = io.peersync.protocol.secret.DiscoveryTags.tag(shared, node("m"), 9, nonce);
            s.send(packet(new Announcement(node("m"), 41009, nonce, List.of(tagForOtherPort)), target));
            // Then a genuine one.
            byte[] tag = io.peersync.protocol.secret.DiscoveryTags.tag(shared, node("g"), 41010, nonce);
            s.send(packet(new Announcement(node("g"), 41010, nonce, List.of(tag)), target));
        }

        await().atMost(WAIT).until(() -> !found.isEmpty());
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> found.size() == 1);
        assertEquals(new Found(node("g"), "127.0.0.1:41010"), found.get(0));
    }

    private static DatagramPacket packet(Announcement a, InetSocketAddress target) {
        ByteBuf buf = Unpooled.buffer();
        a.encode(buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return new DatagramPacket(bytes, bytes.length, target);
    }
}
