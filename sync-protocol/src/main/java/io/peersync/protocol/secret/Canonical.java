package io.peersync.protocol.secret;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds the byte strings that get hashed or signed: every field is a 4-byte big-endian length followed by
 * its bytes, so no two different field sequences encode the same (numbers are fixed-width big-endian).
 */
final class Canonical {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    /** Starts an encoding whose first field is the domain label, so encodings for different uses never meet. */
    Canonical(String domain) {
        bytes(Crypto.ascii(domain));
    }

    Canonical bytes(byte[] field) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(field.length).array());
        out.writeBytes(field);
        return this;
    }

    Canonical utf8(String field) {
        return bytes(field.getBytes(StandardCharsets.UTF_8));
    }

    Canonical flag(boolean field) {
        return bytes(new byte[] {(byte) (field ? 1 : 0)});
    }

    Canonical u8(int field) {
        return bytes(new byte[] {(byte) field});
    }

    Canonical i32(int field) {
        return bytes(ByteBuffer.allocate(4).putInt(field).array());
    }

    Canonical i64(long field) {
        return bytes(ByteBuffer.allocate(8).putLong(field).array());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
