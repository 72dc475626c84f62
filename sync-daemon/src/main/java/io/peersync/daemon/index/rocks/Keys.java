package io.peersync.daemon.index.rocks;

import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.NodeId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Key and small-value layouts of the column families; documented in sync-daemon/INDEX.md. */
final class Keys {
    static final int FOLDER = FolderId.BYTES;
    static final int BLOCK_VALUE = 8 + 4;
    private static final byte PEER_SEPARATOR = 0;

    private Keys() {
    }

    /** local, global, need: folder | path. Also the folder prefix itself when {@code path} is empty. */
    static byte[] path(byte[] folder, String path) {
        return concat(folder, utf8(path));
    }

    static byte[] seq(byte[] folder, long sequence) {
        return ByteBuffer.allocate(FOLDER + 8).put(folder).putLong(sequence).array();
    }

    static long seqOf(byte[] key) {
        return ByteBuffer.wrap(key, FOLDER, 8).getLong();
    }

    /** remote: folder | path | 0x00; paths never hold NUL, so this prefix names exactly one path. */
    static byte[] remotePrefix(byte[] folder, String path) {
        byte[] p = utf8(path);
        return ByteBuffer.allocate(FOLDER + p.length + 1).put(folder).put(p).put(PEER_SEPARATOR).array();
    }

    static byte[] remote(byte[] folder, String path, NodeId peer) {
        byte[] prefix = remotePrefix(folder, path);
        byte[] key = Arrays.copyOf(prefix, prefix.length + Hash.LENGTH);
        peer.hash().copyTo(key, prefix.length);
        return key;
    }

    static NodeId peerOf(byte[] remoteKey) {
        return new NodeId(Hash.of(Arrays.copyOfRange(remoteKey, remoteKey.length - Hash.LENGTH, remoteKey.length)));
    }

    /** blocks: folder | hash | path. */
    static byte[] blockPrefix(byte[] folder, Hash hash) {
        byte[] key = Arrays.copyOf(folder, FOLDER + Hash.LENGTH);
        hash.copyTo(key, FOLDER);
        return key;
    }

    static byte[] block(byte[] folder, Hash hash, String path) {
        return concat(blockPrefix(folder, hash), utf8(path));
    }

    static String blockPathOf(byte[] key) {
        return new String(key, FOLDER + Hash.LENGTH, key.length - FOLDER - Hash.LENGTH, StandardCharsets.UTF_8);
    }

    static byte[] blockValue(long offset, int size) {
        return ByteBuffer.allocate(BLOCK_VALUE).putLong(offset).putInt(size).array();
    }

    /** The path of a local, global or need key. */
    static String pathOf(byte[] key) {
        return new String(key, FOLDER, key.length - FOLDER, StandardCharsets.UTF_8);
    }

    static boolean hasPrefix(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The smallest key greater than every key starting with {@code prefix}, or null when there is none (all 0xFF). */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
