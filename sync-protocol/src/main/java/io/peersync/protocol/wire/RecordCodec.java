package io.peersync.protocol.wire;

import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.FolderPath;
import io.peersync.protocol.Hash;
import io.peersync.protocol.SealedInfo;
import io.peersync.protocol.VersionVector;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one byte form of a {@link FileRecord}: compact, versioned, the same bytes in the daemon's index, inside
 * IndexUpdate frames and in a seal's encrypted metadata. The layout is in sync-protocol/PROTOCOL.md.
 * {@link #decode} treats its input as hostile: it accepts only exactly what {@link #encode} writes, checks every
 * count and length against {@link Limits} and the bytes left before allocating, and throws
 * {@link RecordFormatException} otherwise.
 */
public final class RecordCodec {
    /** First byte of every encoded record; bump when the layout changes and keep decoding the old one. */
    public static final int FORMAT_1 = 1;

    private static final int FLAG_DELETED = 1;
    private static final int FLAG_FILE_HASH = 2;
    private static final int FLAG_SEALED = 4;
    private static final int FLAG_CHANGE_SET = 8;
    private static final int MIN_BLOCK_BYTES = 1 + 1 + Hash.LENGTH;

    private RecordCodec() {
    }

    /** Encodes {@code r}; throws {@link IllegalArgumentException} if a field is over its {@link Limits}. */
    public static byte[] encode(FileRecord r) {
        checkLimits(r);
        boolean changeSet = r.changeSet() != 0 || r.changeSetSize() > 0;
        Out out = new Out(64 + r.path().length() + r.blocks().size() * 40);
        out.u8(FORMAT_1);
        out.u8(r.type().code());
        out.u8((r.deleted() ? FLAG_DELETED : 0) | (r.fileHash() != null ? FLAG_FILE_HASH : 0)
                | (r.sealed() != null ? FLAG_SEALED : 0) | (changeSet ? FLAG_CHANGE_SET : 0));
        out.string(utf8("path", r.path()));
        out.varLong(r.size());
        out.varLong(zigZag(r.mtimeNanos()));
        out.varLong(r.mode());
        out.varLong(r.sequence());
        out.fixed64(r.modifiedBy());
        out.varLong(r.blockSize());
        Map<Long, Long> counters = r.version().counters();
        out.varLong(counters.size());
        counters.forEach((node, counter) -> {
            out.fixed64(node);
            out.varLong(counter);
        });
        if (r.fileHash() != null) {
            out.hash(r.fileHash());
        }
        out.varLong(r.blocks().size());
        for (BlockRef b : r.blocks()) {
            out.varLong(b.offset());
            out.varLong(b.size());
            out.hash(b.hash());
        }
        out.string(utf8("target", r.target()));
        if (r.sealed() != null) {
            byte[] seal = SealCodec.encode(r.sealed());
            checkRange("seal length", seal.length, SealCodec.MAX_BYTES);
            out.varLong(seal.length);
            out.bytes(seal);
        }
        if (changeSet) {
            out.fixed64(r.changeSet());
            out.varLong(r.changeSetSize());
        }
        return out.toByteArray();
    }

    /** Decodes and validates one record that must fill {@code bytes} exactly. */
    public static FileRecord decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int format = in.get() & 0xFF;
            if (format != FORMAT_1) {
                throw corrupt("format: " + format + " (expected: " + FORMAT_1 + ")");
            }
            FileType type = FileType.ofCode(in.get() & 0xFF);
            int flags = in.get() & 0xFF;
            if ((flags & ~(FLAG_DELETED | FLAG_FILE_HASH | FLAG_SEALED | FLAG_CHANGE_SET)) != 0) {
                throw corrupt("flags: " + Integer.toBinaryString(flags) + " (expected: only bits 0 to 3)");
            }
            String path = string(in, "path", FolderPath.MAX_BYTES);
            long size = varLong(in);
            long mtime = unZigZag(varLong(in));
            int mode = varInt(in);
            long sequence = varLong(in);
            long modifiedBy = in.getLong();
            int blockSize = bounded(in, "block size", Limits.MAX_BLOCK_SIZE);
            VersionVector version = version(in);
            Hash fileHash = (flags & FLAG_FILE_HASH) != 0 ? hash(in) : null;
            List<BlockRef> blocks = blocks(in);
            String target = string(in, "target", FolderPath.MAX_BYTES);
            SealedInfo sealed = (flags & FLAG_SEALED) != 0 ? seal(in) : null;
            long changeSet = 0;
            int changeSetSize = 0;
            if ((flags & FLAG_CHANGE_SET) != 0) {
                changeSet = in.getLong();
                changeSetSize = varInt(in);
                if (changeSet == 0 && changeSetSize == 0) {
                    throw corrupt("change set flag without a change set (expected: the flag only for a change set)");
                }
            }
            if (in.hasRemaining()) {
                throw corrupt(in.remaining() + " trailing bytes");
            }
            return new FileRecord(path, type, size, mtime, mode, version, (flags & FLAG_DELETED) != 0, sequence,
                    modifiedBy, blockSize, blocks, fileHash, target, sealed, changeSet, changeSetSize);
        } catch (BufferUnderflowException e) {
            throw corrupt("truncated (" + bytes.length + " bytes)");
        } catch (RecordFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new RecordFormatException("corrupt file record: " + e.getMessage(), e);
        }
    }

    // The same limits as decode, so that nothing is stored that no peer would accept.
    private static void checkLimits(FileRecord r) {
        checkRange("version entries", r.version().counters().size(), VersionVector.MAX_ENTRIES);
        checkRange("block size", r.blockSize(), Limits.MAX_BLOCK_SIZE);
        checkRange("block count", r.blocks().size(), Limits.MAX_BLOCKS_PER_FILE);
        for (BlockRef b : r.blocks()) {
            checkRange("size of a block", b.size(), Limits.MAX_BLOCK_SIZE);
        }
    }

    private static byte[] utf8(String what, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        checkRange(what + " length", utf8.length, FolderPath.MAX_BYTES);
        return utf8;
    }

    private static void checkRange(String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("file record " + what + ": " + value + " (expected: 0 to " + max + ")");
        }
    }

    private static VersionVector version(ByteBuffer in) {
        long entries = varLong(in);
        if (entries < 0 || entries > VersionVector.MAX_ENTRIES) {
            throw corrupt("version entries: " + entries + " (expected: 0 to " + VersionVector.MAX_ENTRIES + ")");
        }
        TreeMap<Long, Long> counters = new TreeMap<>();
        for (int i = 0; i < entries; i++) {
            long node = in.getLong();
            long counter = varLong(in);
            if (counter <= 0) {
                throw corrupt("version counter: " + counter + " (expected: > 0)");
            }
            if (!counters.isEmpty() && node <= counters.lastKey()) {
                throw corrupt("version nodes out of order at entry " + i + " (expected: each node once, ascending)");
            }
            counters.put(node, counter);
        }
        return VersionVector.of(counters);
    }

    private static List<BlockRef> blocks(ByteBuffer in) {
        long count = varLong(in);
        if (count < 0 || count > Limits.MAX_BLOCKS_PER_FILE) {
            throw corrupt("block count: " + count + " (expected: 0 to " + Limits.MAX_BLOCKS_PER_FILE + ")");
        }
        if (count > in.remaining() / MIN_BLOCK_BYTES) {
            throw corrupt("block count: " + count + " (expected: at most " + in.remaining() / MIN_BLOCK_BYTES
                    + ", what the bytes left can hold)");
        }
        List<BlockRef> blocks = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            long offset = varLong(in);
            int size = bounded(in, "size of block " + i, Limits.MAX_BLOCK_SIZE);
            blocks.add(new BlockRef(offset, size, hash(in)));
        }
        return blocks;
    }

    private static SealedInfo seal(ByteBuffer in) {
        long length = varLong(in);
        if (length < 0 || length > SealCodec.MAX_BYTES || length > in.remaining()) {
            throw corrupt("seal length: " + length + " (expected: at most "
                    + Math.min(SealCodec.MAX_BYTES, in.remaining()) + ")");
        }
        byte[] seal = new byte[(int) length];
        in.get(seal);
        return SealCodec.decode(seal);
    }

    private static Hash hash(ByteBuffer in) {
        byte[] h = new byte[Hash.LENGTH];
        in.get(h);
        return Hash.of(h);
    }

    private static String string(ByteBuffer in, String what, int maxBytes) {
        long length = varLong(in);
        if (length < 0 || length > maxBytes || length > in.remaining()) {
            throw corrupt(what + " length: " + length + " (expected: at most " + Math.min(maxBytes, in.remaining())
                    + ")");
        }
        ByteBuffer slice = in.slice().limit((int) length);
        in.position(in.position() + (int) length);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new RecordFormatException("corrupt file record: " + what + " is not UTF-8", e);
        }
    }

    /** A varint from 0 to {@code max}. */
    private static int bounded(ByteBuffer in, String what, int max) {
        long v = varLong(in);
        if (v < 0 || v > max) {
            throw corrupt(what + ": " + Long.toUnsignedString(v) + " (expected: 0 to " + max + ")");
        }
        return (int) v;
    }

    private static int varInt(ByteBuffer in) {
        long v = varLong(in);
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw corrupt("32-bit field: " + Long.toUnsignedString(v) + " (expected: < 2^32)");
        }
        return (int) v;
    }

    /** Unsigned LEB128, at most ten bytes, in its shortest form. */
    private static long varLong(ByteBuffer in) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.get() & 0xFF;
            if (shift == 63 && b > 1) {
                throw corrupt("varint overflows 64 bits");
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    throw corrupt("varint has a redundant zero byte (expected: its shortest form)");
                }
                return result;
            }
        }
        throw corrupt("varint longer than 10 bytes");
    }

    private static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unZigZag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static RecordFormatException corrupt(String what) {
        return new RecordFormatException("corrupt file record: " + what, null);
    }

    /** Growable byte sink; avoids ByteArrayOutputStream's synchronisation and checked exceptions. */
    private static final class Out {
        private byte[] buf;
        private int len;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        void u8(int v) {
            ensure(1);
            buf[len++] = (byte) v;
        }

        void varLong(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        void fixed64(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[len++] = (byte) (v >>> shift);
            }
        }

        void hash(Hash h) {
            ensure(Hash.LENGTH);
            h.copyTo(buf, len);
            len += Hash.LENGTH;
        }

        void string(byte[] utf8) {
            varLong(utf8.length);
            bytes(utf8);
        }

        void bytes(byte[] data) {
            ensure(data.length);
            System.arraycopy(data, 0, buf, len, data.length);
            len += data.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }
    }
}
