package io.peersync.protocol.secret;

import io.peersync.protocol.SealedInfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.io.BaseEncoding;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.Hash;
import io.peersync.protocol.VersionVector;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * Known answers for the seed 0x00..0x1f: block and name encryption cross-checked against AES-GCM and HMAC
 * written directly against javax.crypto (and Bouncy Castle's GCM), then pinned so any change shows.
 */
class ContentCipherVectorsTest {
    private static final BaseEncoding HEX = BaseEncoding.base16().lowerCase();
    private static final String BLOCK_CIPHERTEXT =
            "61df0ec1042005fee16ef0b534cf8f1b9aefebb43e3e60e473593fc97e32ccb959e328de60e6ab1ddcaf0637b4772160"
            + "d2416585cd2f8df43fd8406852eb707090b77d9e664e50ed08194147edaaec567bd2ecc9ee5572fdd0c3b4ca731a182f"
            + "3d3dce04ede7c66dc68bdad1d727f31b23664c852eae968836b1fc684e25757c";
    private static final String PATH_CIPHERTEXT = "2E/UF/UJY5N4FSD2ZCTTIKYUPJ2F6QKB4PF6DFCZZ3E4LWYFXOZA3MQVBJXHQJR3LRRI4Q";
    private static final String PLAIN_DIGEST = "cd1cadeda2f62e30e884c63eaa76401e1548ed4b34da0fdc818b02779c94a45a";
    private static final String SIGNATURE = "c3886ab4f9d52f02e970cb192011a88a5e88cf889c3abdf27f8830de277a8cbb"
            + "bf3875ec9c308c005399ca22f058544a25772dbb7f35e2eb5159fa42dec9d902";

    private static FolderSecret secret() {
        byte[] seed = new byte[32];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) i;
        }
        return FolderSecret.fromSeed(seed);
    }

    /** The bytes 0, 1, ... 99. */
    private static byte[] block() {
        byte[] block = new byte[100];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) i;
        }
        return block;
    }

    @Test
    void blockMatchesIndependentAesGcm() throws Exception {
        byte[] contentKey = secret().contentKey().orElseThrow();
        byte[] blockKey = hkdf(contentKey, "peersync v1 blocks");
        byte[] nonceKey = hkdf(contentKey, "peersync v1 nonces");
        byte[] plain = block();
        byte[] nonce = Arrays.copyOf(hmac(nonceKey, concat(ascii("block"), sha256(plain))), 12);

        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(blockKey, "AES"), new GCMParameterSpec(128, nonce));
        jdk.updateAAD(ascii("peersync v1 block"));
        byte[] expected = concat(nonce, jdk.doFinal(plain));

        byte[] actual = secret().contentCipher().orElseThrow().encryptBlock(plain, Hash.sha256(plain));
        assertArrayEquals(expected, actual);
        assertArrayEquals(expected, concat(nonce, bouncyCastleGcm(blockKey, nonce, ascii("peersync v1 block"), plain)));
        assertEquals(BLOCK_CIPHERTEXT, HEX.encode(actual));
    }

    @Test
    void blockFedInPiecesMatchesOneShotAesGcm() throws Exception {
        byte[] contentKey = secret().contentKey().orElseThrow();
        byte[] blockKey = hkdf(contentKey, "peersync v1 blocks");
        byte[] nonceKey = hkdf(contentKey, "peersync v1 nonces");
        byte[] plain = new byte[3 * ContentCipher.ENCRYPT_CHUNK + 100];
        new java.util.Random(7).nextBytes(plain);
        byte[] nonce = Arrays.copyOf(hmac(nonceKey, concat(ascii("block"), sha256(plain))), 12);

        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(blockKey, "AES"), new GCMParameterSpec(128, nonce));
        jdk.updateAAD(ascii("peersync v1 block"));
        byte[] expected = concat(nonce, jdk.doFinal(plain));

        ContentCipher cipher = secret().contentCipher().orElseThrow();
        byte[] actual = cipher.encryptBlock(plain, Hash.sha256(plain));
        assertArrayEquals(expected, actual);
        assertArrayEquals(plain, cipher.decryptBlock(actual));
    }

    @Test
    void pathMatchesIndependentAesGcm() throws Exception {
        byte[] contentKey = secret().contentKey().orElseThrow();
        byte[] nameKey = hkdf(contentKey, "peersync v1 names");
        byte[] nonceKey = hkdf(contentKey, "peersync v1 nonces");
        byte[] plain = "docs/notes.txt".getBytes(StandardCharsets.UTF_8);
        byte[] nonce = Arrays.copyOf(hmac(nonceKey, concat(ascii("name"), plain)), 12);

        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(nameKey, "AES"), new GCMParameterSpec(128, nonce));
        jdk.updateAAD(ascii("peersync v1 name"));
        String letters = BaseEncoding.base32().omitPadding().encode(concat(nonce, jdk.doFinal(plain)));
        String expected = letters.substring(0, 2) + "/" + letters.substring(2, 4) + "/" + letters.substring(4);

        String actual = secret().contentCipher().orElseThrow().encryptPath("docs/notes.txt");
        assertEquals(expected, actual);
        assertEquals(PATH_CIPHERTEXT, actual);
    }

    @Test
    void pinsRecordDigestAndSignatureAgainstIndependentEncoding() throws Exception {
        FolderSecret rw = secret();
        byte[] plain = block();
        byte[] encrypted = rw.contentCipher().orElseThrow().encryptBlock(plain, Hash.sha256(plain));
        FileRecord record = new FileRecord("docs/notes.txt", FileType.FILE, plain.length, 1_700_000_000_000_000_000L,
                0644, VersionVector.of(Map.of(0x1234L, 2L, -1L, 1L)), false, 9, 0x1234L, 128 * 1024,
                List.of(new BlockRef(0, plain.length, Hash.sha256(plain))), Hash.sha256(plain), "");

        SealedInfo s = RecordSigner.seal(rw, record, List.of(Hash.sha256(encrypted)));

        byte[] plainEncoding = fields(ascii("peersync v1 plain"), utf8("docs/notes.txt"), new byte[] {0},
                new byte[] {0}, longBytes(100), longBytes(1_700_000_000_000_000_000L), intBytes(0644),
                intBytes(128 * 1024), intBytes(1), longBytes(0), intBytes(100), sha256(plain), sha256(plain),
                new byte[0]);
        byte[] plainDigest = sha256(plainEncoding);
        // Version vector pairs ascend by node id read as unsigned: 0x1234 before -1 (0xffff...ffff).
        byte[] message = fields(ascii("peersync v2 record"), rw.folderId().bytes(), plainDigest,
                utf8(PATH_CIPHERTEXT), intBytes(2), longBytes(0x1234L), longBytes(2), longBytes(-1L), longBytes(1),
                new byte[] {0}, longBytes(0x1234L), longBytes(128), intBytes(1), sha256(encrypted), longBytes(0),
                intBytes(0));
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(jdkEd25519PublicKey(rw.publicKey()));
        jdk.update(message);
        assertTrue(jdk.verify(s.signature()));
        assertArrayEquals(plainDigest, s.plainDigest().bytes());

        assertEquals(PLAIN_DIGEST, s.plainDigest().hex());
        assertEquals(SIGNATURE, HEX.encode(s.signature()));
        assertEquals(PATH_CIPHERTEXT, s.encryptedPath());
        assertEquals(128, s.encryptedSize());
        assertTrue(RecordSigner.verifySealed(FolderSecret.parse(rw.encrypted().orElseThrow().text()), rw.folderId(), s,
                record.version(), false, 0x1234L));
    }

    /** Each field as a 4-byte big-endian length and its bytes. */
    private static byte[] fields(byte[]... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : fields) {
            out.writeBytes(intBytes(f.length));
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    private static byte[] intBytes(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The raw 32-byte Ed25519 key as a JDK key: the fixed X.509 SubjectPublicKeyInfo prefix, then the key. */
    private static PublicKey jdkEd25519PublicKey(byte[] raw) throws Exception {
        byte[] spki = concat(HEX.decode("302a300506032b6570032100"), raw);
        return KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(spki));
    }

    private static byte[] bouncyCastleGcm(byte[] key, byte[] nonce, byte[] aad, byte[] plain) throws Exception {
        GCMBlockCipher gcm = new GCMBlockCipher(new AESEngine());
        gcm.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] out = new byte[gcm.getOutputSize(plain.length)];
        int n = gcm.processBytes(plain, 0, plain.length, out, 0);
        gcm.doFinal(out, n);
        return out;
    }

    /** RFC 5869 with a zero salt, one output block, written against the JDK's HMAC. */
    private static byte[] hkdf(byte[] inputKey, String info) throws Exception {
        byte[] prk = hmac(new byte[32], inputKey);
        return hmac(prk, concat(ascii(info), new byte[] {1}));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
