package io.peersync.protocol.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.io.BaseEncoding;
import io.peersync.protocol.FolderPath;
import io.peersync.protocol.Hash;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentCipherTest {
    private final FolderSecret rw = FolderSecret.generate();
    private final ContentCipher cipher = rw.contentCipher().orElseThrow();

    private static byte[] randomBlock(long seed, int size) {
        byte[] block = new byte[size];
        new Random(seed).nextBytes(block);
        return block;
    }

    private byte[] encrypt(byte[] plain) {
        return cipher.encryptBlock(plain, Hash.sha256(plain));
    }

    @Test
    void onlyReadingLevelsHaveACipher() {
        assertTrue(rw.readOnly().orElseThrow().contentCipher().isPresent());
        assertTrue(rw.encrypted().orElseThrow().contentCipher().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 4096, 128 * 1024 + 3})
    void blockRoundTripsWithFixedOverhead(int size) throws Exception {
        byte[] plain = randomBlock(size, size);
        byte[] encrypted = encrypt(plain);
        assertEquals(ContentCipher.encryptedSize(size), encrypted.length);
        assertEquals(size + 28, encrypted.length);
        assertArrayEquals(plain, cipher.decryptBlock(encrypted));
    }

    @Test
    void readOnlyDecryptsWhatReadWriteEncrypted() throws Exception {
        byte[] plain = randomBlock(1, 1000);
        ContentCipher ro = FolderSecret.parse(rw.readOnly().orElseThrow().text()).contentCipher().orElseThrow();
        assertArrayEquals(plain, ro.decryptBlock(encrypt(plain)));
        assertArrayEquals(encrypt(plain), ro.encryptBlock(plain, Hash.sha256(plain)));
    }

    @Test
    void equalBlocksEncryptEqually() {
        byte[] plain = randomBlock(2, 5000);
        assertArrayEquals(encrypt(plain), encrypt(plain.clone()));
    }

    @Test
    void differentBlocksEncryptDifferentlyWithDifferentNonces() {
        byte[] a = randomBlock(3, 5000);
        byte[] b = a.clone();
        b[4999] ^= 1;
        byte[] ea = encrypt(a);
        byte[] eb = encrypt(b);
        assertFalse(Arrays.equals(Arrays.copyOf(ea, 12), Arrays.copyOf(eb, 12)));
        assertFalse(Arrays.equals(ea, eb));
    }

    @Test
    void otherFolderEncryptsDifferentlyAndCannotDecrypt() {
        byte[] plain = randomBlock(4, 300);
        ContentCipher other = FolderSecret.generate().contentCipher().orElseThrow();
        assertFalse(Arrays.equals(encrypt(plain), other.encryptBlock(plain, Hash.sha256(plain))));
        assertThrows(AEADBadTagException.class, () -> other.decryptBlock(encrypt(plain)));
    }

    @Test
    void rejectsEveryFlippedBitOfABlock() {
        byte[] encrypted = encrypt(randomBlock(5, 40));
        for (int i = 0; i < encrypted.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = encrypted.clone();
                tampered[i] ^= (byte) (1 << bit);
                assertThrows(AEADBadTagException.class, () -> cipher.decryptBlock(tampered), "byte " + i);
            }
        }
    }

    @Test
    void rejectsTruncatedAndExtendedBlocks() {
        byte[] encrypted = encrypt(randomBlock(6, 100));
        assertThrows(AEADBadTagException.class,
                () -> cipher.decryptBlock(Arrays.copyOf(encrypted, encrypted.length - 1)));
        assertThrows(AEADBadTagException.class,
                () -> cipher.decryptBlock(Arrays.copyOf(encrypted, encrypted.length + 1)));
        var e = assertThrows(GeneralSecurityException.class, () -> cipher.decryptBlock(new byte[27]));
        assertEquals("encrypted block: 27 bytes (expected: >= 28)", e.getMessage());
    }

    @Test
    void rejectsAWrongPlainHashRatherThanReuseANonce() {
        byte[] plain = randomBlock(7, 100);
        var e = assertThrows(IllegalArgumentException.class,
                () -> cipher.encryptBlock(plain, Hash.sha256(new byte[1])));
        assertTrue(e.getMessage().startsWith("plain hash: "), e.getMessage());
    }

    @Test
    void encryptedSizeRejectsNegativeAndOverflow() {
        assertEquals(28, ContentCipher.encryptedSize(0));
        assertThrows(IllegalArgumentException.class, () -> ContentCipher.encryptedSize(-1));
        assertThrows(ArithmeticException.class, () -> ContentCipher.encryptedSize(Integer.MAX_VALUE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "photos/2024/IMG_0001.JPG", "Ünïcödé/文件/😀.txt", "a b/c d", ".hidden/x"})
    void pathRoundTripsAsAValidFolderPath(String path) throws Exception {
        String encrypted = cipher.encryptPath(path);
        assertTrue(FolderPath.isValid(encrypted), encrypted);
        assertTrue(encrypted.matches("[A-Z2-7]{2}/[A-Z2-7]{2}/[A-Z2-7/]+"), encrypted);
        assertEquals(path, cipher.decryptPath(encrypted));
        assertEquals(encrypted, cipher.encryptPath(path));
        assertEquals(encrypted, rw.readOnly().orElseThrow().contentCipher().orElseThrow().encryptPath(path));
    }

    @Test
    void pathsDifferingOnlyInCaseEncryptDifferently() {
        assertNotEquals(cipher.encryptPath("Readme"), cipher.encryptPath("readme"));
    }

    @Test
    void longestPathFitsInBalancedComponents() throws Exception {
        String path = "d/".repeat(1258) + "xy";
        assertEquals(ContentCipher.MAX_PLAIN_PATH_BYTES, path.length());
        String encrypted = cipher.encryptPath(path);
        assertTrue(FolderPath.isValid(encrypted));
        assertTrue(encrypted.length() <= FolderPath.MAX_BYTES);
        String[] parts = encrypted.split("/");
        assertEquals(2, parts[0].length());
        assertEquals(2, parts[1].length());
        for (int i = 2; i < parts.length; i++) {
            int length = parts[i].length();
            assertTrue(length <= 200 && Math.abs(length - parts[2].length()) <= 1, length + " chars");
        }
        assertEquals(path, cipher.decryptPath(encrypted));
    }

    @Test
    void rejectsPathTooLongToEncrypt() {
        String path = "d/".repeat(1259) + "x";
        assertEquals(ContentCipher.MAX_PLAIN_PATH_BYTES + 1, path.getBytes(StandardCharsets.UTF_8).length);
        var e = assertThrows(IllegalArgumentException.class, () -> cipher.encryptPath(path));
        assertTrue(e.getMessage().contains("2519 bytes (expected: <= 2518"), e.getMessage());
    }

    @Test
    void layoutKeepsEveryComponentLongOrSharded() {
        String letters = "A".repeat(4 + 201);
        assertEquals("AA/AA/" + "A".repeat(101) + "/" + "A".repeat(100), ContentCipher.layout(letters));
        assertEquals("AB/CD/EFG", ContentCipher.layout("ABCDEFG"));
    }

    @Test
    void rejectsAlteredEncryptedPath() {
        String encrypted = cipher.encryptPath("docs/report.pdf");
        int last = encrypted.length() - 1;
        char other = encrypted.charAt(last) == 'A' ? 'B' : 'A';
        String flipped = encrypted.substring(0, last) + other;
        assertThrows(GeneralSecurityException.class, () -> cipher.decryptPath(flipped));
        String flippedMiddle = encrypted.substring(0, 10) + (encrypted.charAt(10) == 'Q' ? 'R' : 'Q')
                + encrypted.substring(11);
        assertThrows(AEADBadTagException.class, () -> cipher.decryptPath(flippedMiddle));
    }

    @Test
    void rejectsEncryptedPathInAnotherLayoutOrAlphabet() {
        String encrypted = cipher.encryptPath("docs/report.pdf");
        String letters = encrypted.replace("/", "");
        assertThrows(GeneralSecurityException.class, () -> cipher.decryptPath(letters));
        assertThrows(GeneralSecurityException.class,
                () -> cipher.decryptPath(letters.substring(0, 3) + "/" + letters.substring(3)));
        assertThrows(GeneralSecurityException.class, () -> cipher.decryptPath(encrypted.toLowerCase()));
        assertThrows(GeneralSecurityException.class, () -> cipher.decryptPath("AA/AA/AAAA"));
        assertThrows(GeneralSecurityException.class, () -> cipher.decryptPath(""));
    }

    @Test
    void rejectsPathOfAnotherFolder() {
        String encrypted = FolderSecret.generate().contentCipher().orElseThrow().encryptPath("a/b");
        assertThrows(AEADBadTagException.class, () -> cipher.decryptPath(encrypted));
    }

    @Test
    void nameCiphertextIsNotABlockCiphertext() {
        byte[] plain = "a/b".getBytes(StandardCharsets.UTF_8);
        byte[] name = BaseEncoding.base32().omitPadding().decode(cipher.encryptPath("a/b").replace("/", ""));
        assertFalse(Arrays.equals(encrypt(plain), name));
        assertThrows(AEADBadTagException.class, () -> cipher.decryptBlock(name));
    }

    @Test
    void padsSmallFilesToFourKibibytes() {
        assertEquals(0, ContentCipher.paddedSize(0));
        assertEquals(4096, ContentCipher.paddedSize(1));
        assertEquals(4096, ContentCipher.paddedSize(4096));
        assertEquals(8192, ContentCipher.paddedSize(4097));
        assertEquals(256 * 1024, ContentCipher.paddedSize(256 * 1024));
    }

    @Test
    void padsLargeFilesToASixtyFourthOfTheNextPowerOfTwo() {
        assertEquals(256 * 1024 + 8192, ContentCipher.paddedSize(256 * 1024 + 1));
        assertEquals(1L << 30, ContentCipher.paddedSize(1L << 30));
        assertEquals((1L << 30) + (1L << 25), ContentCipher.paddedSize((1L << 30) + 1));
        assertEquals(60L << 24, ContentCipher.paddedSize(1_000_000_000L));
    }

    @Test
    void paddingIsMonotoneAndAddsUnderThreePercentAboveSmallFiles() {
        Random random = new Random(8);
        long previous = 0;
        for (long size = 0; size < 10_000_000; size += 1 + random.nextInt(20_000)) {
            long padded = ContentCipher.paddedSize(size);
            assertTrue(padded >= size && padded >= previous);
            assertEquals(padded, ContentCipher.paddedSize(padded), "a padded size pads to itself");
            if (size > 256 * 1024) {
                assertTrue(padded - size < size / 32 + 1, size + " -> " + padded);
            }
            previous = padded;
        }
    }

    @Test
    void paddingRejectsNegativeAndOverflow() {
        assertThrows(IllegalArgumentException.class, () -> ContentCipher.paddedSize(-1));
        assertEquals(Long.MAX_VALUE - (1L << 57) + 1, ContentCipher.paddedSize(Long.MAX_VALUE - (1L << 57)));
        assertThrows(ArithmeticException.class, () -> ContentCipher.paddedSize(Long.MAX_VALUE));
    }

    @Test
    void toStringHidesKeys() {
        assertEquals("ContentCipher{keys hidden}", cipher.toString());
    }
}
