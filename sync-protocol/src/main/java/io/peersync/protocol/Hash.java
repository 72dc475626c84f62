package io.peersync.protocol;

import com.google.common.io.BaseEncoding;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** A SHA-256 digest: of a block, of a whole file, or of a public key. */
public final class Hash implements Comparable<Hash> {
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of 32 digest bytes. */
    public static Hash of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("hash length: " + bytes.length + " (expected: " + LENGTH + ")");
        }
        return new Hash(bytes.clone());
    }

    /** SHA-256 of the whole array. */
    public static Hash sha256(byte[] data) {
        return sha256(data, 0, data.length);
    }

    /** SHA-256 of a slice, using the JDK digest (SHA-NI intrinsic where the CPU has it). */
    public static Hash sha256(byte[] data, int offset, int length) {
        MessageDigest digest = newDigest();
        digest.update(data, offset, length);
        return new Hash(digest.digest());
    }

    /** A fresh JDK SHA-256 digest. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static Hash fromHex(String hex) {
        return of(BaseEncoding.base16().lowerCase().decode(hex.toLowerCase()));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Writes the digest into {@code out} without copying through a fresh array. */
    public void copyTo(byte[] out, int offset) {
        System.arraycopy(bytes, 0, out, offset, LENGTH);
    }

    public String hex() {
        return BaseEncoding.base16().lowerCase().encode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Hash o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex().substring(0, 16);
    }
}
