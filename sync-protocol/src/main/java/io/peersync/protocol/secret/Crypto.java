package io.peersync.protocol.secret;

import io.peersync.protocol.Hash;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** The few primitives secrets and proofs are built from; labels keep every use of a key apart. */
final class Crypto {
    static final int KEY_BYTES = 32;

    private Crypto() {}

    static byte[] ascii(String label) {
        return label.getBytes(StandardCharsets.US_ASCII);
    }

    /** HKDF-SHA256 with no salt (RFC 5869: a zero salt), 32 output bytes. */
    static byte[] hkdf(byte[] inputKey, String info) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(inputKey, null, ascii(info)));
        byte[] out = new byte[KEY_BYTES];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }

    /** HMAC-SHA256 with the JDK's implementation (hardware SHA where available). */
    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    static byte[] sha256(byte[]... parts) {
        MessageDigest digest = Hash.newDigest();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }
}
