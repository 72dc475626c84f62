package io.peersync.protocol.wire;

import io.netty.buffer.ByteBuf;
import io.peersync.protocol.Hash;
import io.peersync.protocol.NodeId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A LAN discovery datagram: "node N listens on port P and shares these folders". The folders appear only as
 * tags that a holder of the folder's secret can check ({@code DiscoveryTags}); a fresh nonce per datagram keeps
 * two announcements of one folder unlinkable for everyone else.
 *
 * <p>Layout, big-endian: magic {@code "PSLD"}, version {@code u8} (1), node id (32 bytes), listen port
 * {@code u16} (1..65535), nonce (16 bytes), tag count {@code u8} (0..{@value #MAX_TAGS}), then that many
 * 16-byte tags. Nothing may follow.
 */
public record Announcement(NodeId node, int port, byte[] nonce, List<byte[]> tags) {
    public static final int MAGIC = 0x50534C44; // "PSLD"
    public static final int VERSION = 1;
    public static final int NONCE_BYTES = 16;
    public static final int TAG_BYTES = 16;
    public static final int MAX_TAGS = 32;
    /** The longest valid datagram. */
    public static final int MAX_BYTES = 4 + 1 + Hash.LENGTH + 2 + NONCE_BYTES + 1 + MAX_TAGS * TAG_BYTES;

    public Announcement {
        Objects.requireNonNull(node, "node");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
        if (Objects.requireNonNull(nonce, "nonce").length != NONCE_BYTES) {
            throw new IllegalArgumentException("nonce: " + nonce.length + " bytes (expected: " + NONCE_BYTES + ")");
        }
        nonce = nonce.clone();
        if (Objects.requireNonNull(tags, "tags").size() > MAX_TAGS) {
            throw new IllegalArgumentException("tags: " + tags.size() + " (expected: <= " + MAX_TAGS + ")");
        }
        List<byte[]> copies = new ArrayList<>(tags.size());
        for (byte[] tag : tags) {
            if (tag.length != TAG_BYTES) {
                throw new IllegalArgumentException("tag: " + tag.length + " bytes (expected: " + TAG_BYTES + ")");
            }
            copies.add(tag.clone());
        }
        tags = List.copyOf(copies);
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /** The tags; each array is a copy. */
    @Override
    public List<byte[]> tags() {
        return tags.stream().map(byte[]::clone).toList();
    }

    public void encode(ByteBuf out) {
        out.writeInt(MAGIC).writeByte(VERSION).writeBytes(node.hash().bytes()).writeShort(port).writeBytes(nonce)
                .writeByte(tags.size());
        tags.forEach(out::writeBytes);
    }

    /** Decodes a whole datagram; throws {@link ProtocolException} for anything but exactly one valid announcement. */
    public static Announcement decode(ByteBuf in) {
        int length = in.readableBytes();
        if (length > MAX_BYTES || length < MAX_BYTES - MAX_TAGS * TAG_BYTES) {
            throw new ProtocolException("announcement of " + length + " bytes (expected: "
                    + (MAX_BYTES - MAX_TAGS * TAG_BYTES) + ".." + MAX_BYTES + ")");
        }
        if (in.readInt() != MAGIC) {
            throw new ProtocolException("not a peersync announcement");
        }
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new ProtocolException("announcement version " + version + " (expected: " + VERSION + ")");
        }
        byte[] node = new byte[Hash.LENGTH];
        in.readBytes(node);
        int port = in.readUnsignedShort();
        byte[] nonce = new byte[NONCE_BYTES];
        in.readBytes(nonce);
        int count = in.readUnsignedByte();
        if (count > MAX_TAGS || in.readableBytes() != count * TAG_BYTES) {
            throw new ProtocolException("announcement with " + count + " tags in " + in.readableBytes()
                    + " bytes (expected: " + TAG_BYTES + " bytes each, at most " + MAX_TAGS + ")");
        }
        List<byte[]> tags = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] tag = new byte[TAG_BYTES];
            in.readBytes(tag);
            tags.add(tag);
        }
        try {
            return new Announcement(new NodeId(Hash.of(node)), port, nonce, tags);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("announcement: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Announcement a) || !node.equals(a.node) || port != a.port
                || !Arrays.equals(nonce, a.nonce) || tags.size() != a.tags.size()) {
            return false;
        }
        for (int i = 0; i < tags.size(); i++) {
            if (!Arrays.equals(tags.get(i), a.tags.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(node, port, Arrays.hashCode(nonce), tags.size());
    }

    @Override
    public String toString() {
        return "Announcement{" + node.shortForm() + " port " + port + ", " + tags.size() + " tags}";
    }
}
