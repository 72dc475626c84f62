package io.peersync.protocol.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Hand-written frame and record bytes, independent of the codecs under test. */
final class Raw {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Raw u8(int v) {
        out.write(v);
        return this;
    }

    Raw u16(int v) {
        return bytes(ByteBuffer.allocate(2).putShort((short) v).array());
    }

    Raw i32(int v) {
        return bytes(ByteBuffer.allocate(4).putInt(v).array());
    }

    Raw i64(long v) {
        return bytes(ByteBuffer.allocate(8).putLong(v).array());
    }

    /** Unsigned LEB128: seven bits a byte, low bits first, the top bit set on every byte but the last. */
    Raw varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    /** A wire string: u16 length, then UTF-8. */
    Raw str(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return u16(utf8.length).bytes(utf8);
    }

    /** A record string: varint length, then UTF-8. */
    Raw vstr(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return varint(utf8.length).bytes(utf8);
    }

    Raw bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    byte[] toArray() {
        return out.toByteArray();
    }
}
