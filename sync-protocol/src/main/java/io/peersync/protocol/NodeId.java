package io.peersync.protocol;

import com.google.common.io.BaseEncoding;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * A node's identity: the SHA-256 of its certificate's public key (SubjectPublicKeyInfo DER), written in base32.
 */
public record NodeId(Hash hash) implements Comparable<NodeId> {
    private static final BaseEncoding BASE32 = BaseEncoding.base32().omitPadding();

    public NodeId {
        if (hash == null) {
            throw new IllegalArgumentException("hash: null (expected: a SHA-256 digest)");
        }
    }

    public static NodeId ofPublicKey(byte[] subjectPublicKeyInfo) {
        return new NodeId(Hash.sha256(subjectPublicKeyInfo));
    }

    /** Parses the full 52-character form, ignoring dashes and case. */
    public static NodeId parse(String text) {
        String clean = text.replace("-", "").toUpperCase(Locale.ROOT);
        try {
            return new NodeId(Hash.of(BASE32.decode(clean)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a node id: " + text, e);
        }
    }

    /** 64-bit short id, used as the key of version vectors. */
    public long shortId() {
        return ByteBuffer.wrap(hash.bytes()).getLong();
    }

    /** The first seven characters, for display. */
    public String shortForm() {
        return toString().substring(0, 7);
    }

    @Override
    public int compareTo(NodeId o) {
        return hash.compareTo(o.hash);
    }

    @Override
    public String toString() {
        return BASE32.encode(hash.bytes());
    }
}
