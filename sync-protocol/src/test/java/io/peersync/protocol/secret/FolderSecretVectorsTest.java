package io.peersync.protocol.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.io.BaseEncoding;
import io.peersync.protocol.FolderId;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Known answers for the seed 0x00..0x1f, cross-checked against the JDK's own HMAC and Ed25519. */
class FolderSecretVectorsTest {
    private static final String RW = "WAAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPSV3DXRM";
    private static final String RO =
            "ROGPTJIDHMHMOYACNKAXHQV6GUP7BXCALDX4PUFEG5Z44XMPDNKYRV2"
            + "5GFBEGOKBZEPRSXIJIIDOEIG6IQ6LNVYZRJVJW5Z4YXVACEMK7IWSWG";
    private static final String ENC =
            "EOGPTJIDHMHMOYACNKAXHQV6GUP7BXCALDX4PUFEG5Z44XMPDNKY7XT"
            + "SCTYFP2KS25K2RPDJUVEECVDJDDDBSPQCTOMOX3KROTNPZFRYPCDJ5S";
    private static final String FOLDER_ID = "HYAXIC23VF5CIRZYVHGEIJG3GY";

    private static byte[] seed() {
        byte[] seed = new byte[32];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) i;
        }
        return seed;
    }

    @Test
    void pinsTextOfEveryLevelAndFolderId() {
        FolderSecret rw = FolderSecret.fromSeed(seed());
        assertEquals(RW, rw.text());
        assertEquals(RO, rw.readOnly().orElseThrow().text());
        assertEquals(ENC, rw.encrypted().orElseThrow().text());
        assertEquals(FOLDER_ID, rw.folderId().value());
        assertEquals(rw, FolderSecret.parse(RW));
        assertEquals(FOLDER_ID, FolderSecret.parse(RO).folderId().value());
        assertEquals(FOLDER_ID, FolderSecret.parse(ENC).folderId().value());
    }

    @Test
    void matchesIndependentDerivation() throws Exception {
        FolderSecret rw = FolderSecret.fromSeed(seed());
        byte[] signingSeed = hkdf(seed(), "peersync v1 signing");
        byte[] contentKey = hkdf(seed(), "peersync v1 content");
        byte[] authKey = hkdf(contentKey, "peersync v1 auth");
        PublicKey jdkPublic = jdkEd25519PublicKey(signingSeed);
        byte[] encoded = jdkPublic.getEncoded();
        byte[] publicKey = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);

        assertArrayEquals(publicKey, rw.publicKey());
        assertArrayEquals(contentKey, rw.contentKey().orElseThrow());
        assertArrayEquals(authKey, rw.authKey());

        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("peersync v1 folder".getBytes(StandardCharsets.US_ASCII));
        byte[] folder = Arrays.copyOf(sha.digest(publicKey), 16);
        assertEquals(FolderId.ofBytes(folder), rw.folderId());

        assertEquals(text('W', seed()), rw.text());
        assertEquals(text('R', concat(publicKey, contentKey)), rw.readOnly().orElseThrow().text());
        assertEquals(text('E', concat(publicKey, authKey)), rw.encrypted().orElseThrow().text());

        byte[] message = "cross-check".getBytes(StandardCharsets.US_ASCII);
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(jdkPublic);
        verifier.update(message);
        assertTrue(verifier.verify(rw.sign(message)));
    }

    /** RFC 5869 with a zero salt, one output block, written against the JDK's HMAC. */
    private static byte[] hkdf(byte[] inputKey, String info) throws Exception {
        byte[] prk = hmac(new byte[32], inputKey);
        return hmac(prk, concat(info.getBytes(StandardCharsets.US_ASCII), new byte[] {1}));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    /** The JDK's Ed25519 generator takes its 32-byte private key from the random source; feed it the seed. */
    private static PublicKey jdkEd25519PublicKey(byte[] privateSeed) throws Exception {
        SecureRandom fixed = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(privateSeed, 0, bytes, 0, bytes.length);
            }
        };
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, fixed);
        return generator.generateKeyPair().getPublic();
    }

    private static String text(char prefix, byte[] payload) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) prefix);
        byte[] checksum = Arrays.copyOf(sha.digest(payload), 4);
        return prefix + BaseEncoding.base32().omitPadding().encode(concat(payload, checksum));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
