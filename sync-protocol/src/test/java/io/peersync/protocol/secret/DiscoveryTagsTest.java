package io.peersync.protocol.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.protocol.Hash;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.wire.Announcement;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class DiscoveryTagsTest {
    private static final FolderSecret RW = FolderSecret.generate();
    private static final NodeId NODE = NodeId.ofPublicKey("a node's public key".getBytes(StandardCharsets.UTF_8));
    private static final byte[] NONCE = new byte[Announcement.NONCE_BYTES];

    private static Announcement announce(FolderSecret... folders) {
        return new Announcement(NODE, 41001, NONCE,
                Arrays.stream(folders).map(f -> DiscoveryTags.tag(f, NODE, 41001, NONCE)).toList());
    }

    @Test
    void everyLevelOfAFolderRecognisesEveryOthersTag() {
        List<FolderSecret> levels = List.of(RW, RW.readOnly().orElseThrow(), RW.encrypted().orElseThrow());
        for (FolderSecret announcer : levels) {
            for (FolderSecret listener : levels) {
                assertTrue(DiscoveryTags.names(announce(announcer), listener),
                        announcer.level() + " announced, " + listener.level() + " listened");
            }
        }
    }

    @Test
    void anotherFoldersSecretDoesNotMatch() {
        FolderSecret other = FolderSecret.generate();
        assertFalse(DiscoveryTags.names(announce(RW), other));
        assertTrue(DiscoveryTags.names(announce(other, RW), RW), "found among several tags");
        assertFalse(DiscoveryTags.names(announce(), RW), "no tags");
    }

    @Test
    void aTagIsBoundToNodePortAndNonce() {
        byte[] tag = DiscoveryTags.tag(RW, NODE, 41001, NONCE);
        NodeId otherNode = NodeId.ofPublicKey("another key".getBytes(StandardCharsets.UTF_8));
        byte[] otherNonce = NONCE.clone();
        otherNonce[0] = 1;
        assertFalse(DiscoveryTags.names(new Announcement(otherNode, 41001, NONCE, List.of(tag)), RW), "node");
        assertFalse(DiscoveryTags.names(new Announcement(NODE, 41002, NONCE, List.of(tag)), RW), "port");
        assertFalse(DiscoveryTags.names(new Announcement(NODE, 41001, otherNonce, List.of(tag)), RW), "nonce");
        assertFalse(Arrays.equals(tag, DiscoveryTags.tag(RW, NODE, 41001, otherNonce)),
                "two announcements of one folder look unrelated");
    }

    @Test
    void matchesAnIndependentComputation() throws Exception {
        int port = 0xBEEF;
        byte[] nonce = new byte[Announcement.NONCE_BYTES];
        Arrays.fill(nonce, (byte) 7);
        byte[] prk = hmac(new byte[32], RW.authKey()); // HKDF-SHA256, empty salt, 32 bytes out
        byte[] key = hmac(prk, concat("peersync v1 discovery".getBytes(StandardCharsets.US_ASCII), new byte[] {1}));
        byte[] message = ByteBuffer.allocate(21 + Hash.LENGTH + 2 + nonce.length)
                .put("peersync v1 discovery".getBytes(StandardCharsets.US_ASCII)).put(NODE.hash().bytes())
                .put(new byte[] {(byte) 0xBE, (byte) 0xEF}).put(nonce).array();
        byte[] expected = Arrays.copyOf(hmac(key, message), 16);

        assertArrayEquals(expected, DiscoveryTags.tag(RW, NODE, port, nonce));
        assertEquals(16, expected.length);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
