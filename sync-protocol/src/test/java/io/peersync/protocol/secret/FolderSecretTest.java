package io.peersync.protocol.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FolderSecretTest {
    private final FolderSecret rw = FolderSecret.generate();
    private final FolderSecret ro = rw.readOnly().orElseThrow();
    private final FolderSecret enc = rw.encrypted().orElseThrow();

    @Test
    void roundTripsEveryLevelThroughText() {
        for (FolderSecret secret : new FolderSecret[] {rw, ro, enc}) {
            FolderSecret parsed = FolderSecret.parse(secret.text());
            assertEquals(secret, parsed);
            assertEquals(secret.hashCode(), parsed.hashCode());
            assertEquals(secret.text(), parsed.text());
            assertEquals(secret.level(), parsed.level());
            assertEquals(secret.level().prefix(), secret.text().charAt(0));
            assertTrue(secret.text().matches("[WRE][A-Z2-7]+"), secret.text());
        }
        assertEquals(AccessLevel.READ_WRITE, rw.level());
        assertEquals(AccessLevel.READ_ONLY, ro.level());
        assertEquals(AccessLevel.ENCRYPTED, enc.level());
    }

    @Test
    void derivesDownwardOnly() {
        assertEquals(rw, rw.readWrite().orElseThrow());
        assertEquals(ro, ro.readOnly().orElseThrow());
        assertEquals(enc, ro.encrypted().orElseThrow());
        assertEquals(enc, enc.encrypted().orElseThrow());
        assertTrue(ro.readWrite().isEmpty());
        assertTrue(enc.readWrite().isEmpty());
        assertTrue(enc.readOnly().isEmpty());
    }

    @Test
    void sharesFolderIdPublicKeyAndAuthKeyAcrossLevels() {
        assertEquals(rw.folderId(), ro.folderId());
        assertEquals(rw.folderId(), enc.folderId());
        assertArrayEquals(rw.publicKey(), enc.publicKey());
        assertArrayEquals(rw.authKey(), ro.authKey());
        assertArrayEquals(rw.authKey(), enc.authKey());
        assertArrayEquals(rw.contentKey().orElseThrow(), ro.contentKey().orElseThrow());
        assertTrue(enc.contentKey().isEmpty());
        assertFalse(Arrays.equals(rw.authKey(), rw.contentKey().orElseThrow()));
    }

    @Test
    void separatesFolders() {
        FolderSecret other = FolderSecret.generate();
        assertNotEquals(rw.folderId(), other.folderId());
        assertNotEquals(rw, other);
        assertNotEquals(rw, ro);
    }

    @Test
    void onlyReadWriteSigns() {
        byte[] message = "index update".getBytes(StandardCharsets.UTF_8);
        byte[] signature = rw.sign(message);
        assertEquals(64, signature.length);
        for (FolderSecret verifier : new FolderSecret[] {rw, ro, enc}) {
            assertTrue(verifier.verifySignature(message, signature));
            assertFalse(verifier.verifySignature("other".getBytes(StandardCharsets.UTF_8), signature));
        }
        byte[] tampered = signature.clone();
        tampered[10] ^= 1;
        assertFalse(enc.verifySignature(message, tampered));
        assertFalse(FolderSecret.generate().verifySignature(message, signature));
        var e = assertThrows(IllegalStateException.class, () -> ro.sign(message));
        assertEquals("secret: cannot sign with a read-only secret (expected: read-write)", e.getMessage());
        assertThrows(IllegalStateException.class, () -> enc.sign(message));
    }

    @Test
    void toStringHidesKeyMaterial() {
        for (FolderSecret secret : new FolderSecret[] {rw, ro, enc}) {
            String shown = secret.toString();
            assertTrue(shown.contains(secret.folderId().value()), shown);
            assertTrue(shown.contains(secret.level().jsonName()), shown);
            assertFalse(shown.contains(secret.text().substring(1, 12)), shown);
        }
    }

    @Test
    void returnsCopiesOfKeys() {
        byte[] auth = rw.authKey();
        auth[0] ^= 1;
        assertFalse(Arrays.equals(auth, rw.authKey()));
    }

    @Test
    void parsesIgnoringCaseAndSurroundingWhitespace() {
        for (FolderSecret secret : new FolderSecret[] {rw, ro, enc}) {
            assertEquals(secret, FolderSecret.parse("  " + secret.text().toLowerCase() + "\n"));
        }
    }

    @Test
    void rejectsEveryOneCharacterTypo() {
        String text = ro.text();
        for (int i = 1; i < text.length(); i++) {
            char replacement = text.charAt(i) == 'A' ? 'B' : 'A';
            String typo = text.substring(0, i) + replacement + text.substring(i + 1);
            var e = assertThrows(SecretFormatException.class, () -> FolderSecret.parse(typo), typo);
            assertEquals("the secret has a typo: its checksum does not match", e.getMessage());
        }
    }

    @Test
    void rejectsTypoInTrailingBitsOfLastCharacter() {
        // 36 bytes take 58 base32 characters whose last 2 bits are unused; flipping them must not pass.
        String text = rw.text();
        char last = text.charAt(text.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        char sibling = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String typo = text.substring(0, text.length() - 1) + sibling;
        assertThrows(SecretFormatException.class, () -> FolderSecret.parse(typo));
    }

    @Test
    void rejectsSecretWithAnotherLevelsPrefix() {
        String relabelled = "E" + ro.text().substring(1);
        var e = assertThrows(SecretFormatException.class, () -> FolderSecret.parse(relabelled));
        assertEquals("the secret has a typo: its checksum does not match", e.getMessage());
        var len = assertThrows(SecretFormatException.class, () -> FolderSecret.parse("R" + rw.text().substring(1)));
        assertEquals("secret: 59 characters (expected: 110 for a read-only secret)", len.getMessage());
    }

    @Test
    void rejectsMalformedTextWithOneSentence() {
        assertMessage("", "secret: empty (expected: a secret starting with W, R or E)");
        assertMessage("   ", "secret: empty (expected: a secret starting with W, R or E)");
        assertMessage(null, "secret: empty (expected: a secret starting with W, R or E)");
        assertMessage("X" + rw.text().substring(1),
                "secret: unknown access level 'X' (expected: the first character to be W, R or E)");
        assertMessage(rw.text().substring(0, 20) + "1" + rw.text().substring(21),
                "secret: '1' at position 21 is not a base32 character (expected: letters A-Z and digits 2-7)");
        assertMessage(rw.text().substring(0, 30) + " " + rw.text().substring(30),
                "secret: ' ' at position 31 is not a base32 character (expected: letters A-Z and digits 2-7)");
        String text = rw.text();
        assertMessage(text.substring(0, text.length() - 1),
                "secret: 58 characters (expected: 59 for a read-write secret)");
        assertMessage(text + "A", "secret: 60 characters (expected: 59 for a read-write secret)");
        assertMessage(enc.text().substring(0, 50), "secret: 50 characters (expected: 110 for an encrypted secret)");
    }

    private static void assertMessage(String text, String message) {
        var e = assertThrows(SecretFormatException.class, () -> FolderSecret.parse(text));
        assertEquals(message, e.getMessage());
    }
}
