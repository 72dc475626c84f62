package io.peersync.protocol.secret;

import io.peersync.protocol.NodeId;
import io.peersync.protocol.wire.Announcement;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The folder tags of a LAN {@link Announcement}. A tag is the first 16 bytes of HMAC-SHA256(discovery key,
 * "peersync v1 discovery" || node id || port (u16) || nonce), where discovery key = HKDF(auth key,
 * "peersync v1 discovery"). Every access level holds the auth key, so read-write, read-only and encrypted nodes
 * of one folder find each other. A node without a secret of the folder can neither check a tag nor make one,
 * and tags under different nonces do not tell it whether two announcements name the same folder.
 */
public final class DiscoveryTags {
    private static final byte[] LABEL = Crypto.ascii("peersync v1 discovery");

    private DiscoveryTags() {
    }

    /** The folder's discovery key; derive it once per folder and keep it, as it is the costly part. */
    public static byte[] key(FolderSecret secret) {
        Objects.requireNonNull(secret, "secret");
        return Crypto.hkdf(secret.authKey(), "peersync v1 discovery");
    }

    /** The tag that announces {@code secret}'s folder for {@code node} listening on {@code port}. */
    public static byte[] tag(FolderSecret secret, NodeId node, int port, byte[] nonce) {
        return tag(key(secret), node, port, nonce);
    }

    /** The tag under a folder's {@link #key}. */
    public static byte[] tag(byte[] key, NodeId node, int port, byte[] nonce) {
        byte[] mac = Crypto.hmac(key, message(node, port, nonce));
        return Arrays.copyOf(mac, Announcement.TAG_BYTES);
    }

    /** True if {@code announcement} names {@code secret}'s folder. */
    public static boolean names(Announcement announcement, FolderSecret secret) {
        return names(announcement, key(secret));
    }

    /** True if {@code announcement} names the folder whose {@link #key} is {@code key}. */
    public static boolean names(Announcement announcement, byte[] key) {
        byte[] expected = tag(key, announcement.node(), announcement.port(), announcement.nonce());
        for (byte[] tag : announcement.tags()) {
            if (MessageDigest.isEqual(expected, tag)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] message(NodeId node, int port, byte[] nonce) {
        byte[] id = node.hash().bytes();
        return ByteBuffer.allocate(LABEL.length + id.length + 2 + nonce.length)
                .put(LABEL).put(id).putShort((short) port).put(nonce).array();
    }
}
