package io.peersync.protocol.wire;

import io.peersync.protocol.Hash;
import io.peersync.protocol.SealedInfo;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The byte form of {@link SealedInfo}, shared by the wire codec and the index store. */
public final class SealCodec {
    /** Upper bound of an encoded seal: path, block hashes, digest, signature, metadata. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    private SealCodec() {
    }

    public static byte[] encode(SealedInfo s) {
        byte[] path = s.encryptedPath().getBytes(StandardCharsets.UTF_8);
        byte[] meta = s.encryptedMetadata();
        int size = 2 + path.length + 8 + 4 + s.encryptedBlockHashes().size() * Hash.LENGTH + Hash.LENGTH
                + SealedInfo.SIGNATURE_BYTES + 4 + meta.length;
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putShort((short) path.length).put(path);
        out.putLong(s.encryptedSize());
        out.putInt(s.encryptedBlockHashes().size());
        for (Hash h : s.encryptedBlockHashes()) {
            out.put(h.bytes());
        }
        out.put(s.plainDigest().bytes());
        out.put(s.signature());
        out.putInt(meta.length).put(meta);
        return out.array();
    }

    /** Decodes and validates; throws {@link IllegalArgumentException} naming what is wrong. */
    public static SealedInfo decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte[] path = new byte[Short.toUnsignedInt(in.getShort())];
            in.get(path);
            long encryptedSize = in.getLong();
            int count = in.getInt();
            if (count < 0 || count > Limits.MAX_BLOCKS_PER_FILE) {
                throw new IllegalArgumentException("sealed block hashes: " + count + " (expected: 0 to "
                        + Limits.MAX_BLOCKS_PER_FILE + ")");
            }
            List<Hash> hashes = new ArrayList<>(Math.min(count, 4096));
            for (int i = 0; i < count; i++) {
                hashes.add(Hash.of(take(in, Hash.LENGTH)));
            }
            Hash digest = Hash.of(take(in, Hash.LENGTH));
            byte[] signature = take(in, SealedInfo.SIGNATURE_BYTES);
            int metaLength = in.getInt();
            if (metaLength < 0 || metaLength > SealedInfo.MAX_METADATA_BYTES) {
                throw new IllegalArgumentException("sealed metadata: " + metaLength + " bytes (expected: 0 to "
                        + SealedInfo.MAX_METADATA_BYTES + ")");
            }
            byte[] meta = take(in, metaLength);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("seal has " + in.remaining() + " trailing bytes");
            }
            return new SealedInfo(strictUtf8(path), encryptedSize, hashes, digest, signature, meta);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("seal is truncated", e);
        }
    }

    // Like every wire string: malformed UTF-8 is refused, not replaced, so each seal has one byte form.
    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("sealed path is not valid UTF-8", e);
        }
    }

    private static byte[] take(ByteBuffer in, int n) {
        if (n > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }
}
