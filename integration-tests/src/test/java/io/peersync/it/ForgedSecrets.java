package io.peersync.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Well-formed secrets that name a real folder but hold the wrong keys, as an outsider who saw the folder id
 * and public key (but not the content key) could make them. The text form is the level letter followed by
 * base32 (RFC 4648, no padding) of payload + the first 4 bytes of SHA-256(letter || payload).
 */
final class ForgedSecrets {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int CHECKSUM_BYTES = 4;
    private static final int KEY_BYTES = 32;

    private ForgedSecrets() {
    }

    /** A read-only secret with the real public key (so the same folder id) and a random content key. */
    static String readOnlyWithWrongContentKey(String realReadOnly, long seed) {
        char level = Character.toUpperCase(realReadOnly.charAt(0));
        if (level != 'R') {
            throw new IllegalArgumentException(
                    "not a read-only secret: " + realReadOnly.charAt(0) + "… (expected: R…)");
        }
        byte[] decoded = decode(realReadOnly.substring(1));
        byte[] payload = Arrays.copyOf(decoded, decoded.length - CHECKSUM_BYTES);
        if (payload.length != 2 * KEY_BYTES) {
            throw new IllegalArgumentException("read-only payload: " + payload.length + " bytes (expected: 64)");
        }
        byte[] wrongKey = new byte[KEY_BYTES];
        new SplittableRandom(seed).nextBytes(wrongKey);
        System.arraycopy(wrongKey, 0, payload, KEY_BYTES, KEY_BYTES);
        return level + encode(withChecksum(level, payload));
    }

    private static byte[] withChecksum(char level, byte[] payload) {
        MessageDigest digest = Trees.sha256();
        digest.update((byte) level);
        digest.update(payload);
        byte[] out = Arrays.copyOf(payload, payload.length + CHECKSUM_BYTES);
        System.arraycopy(digest.digest(), 0, out, payload.length, CHECKSUM_BYTES);
        return out;
    }

    static String encode(byte[] data) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    static byte[] decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (byte c : text.toUpperCase().getBytes(StandardCharsets.US_ASCII)) {
            int value = ALPHABET.indexOf(c);
            if (value < 0) {
                throw new IllegalArgumentException("not base32: '" + (char) c + "'");
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
