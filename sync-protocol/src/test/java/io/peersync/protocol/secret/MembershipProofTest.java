package io.peersync.protocol.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.protocol.NodeId;
import io.peersync.protocol.secret.MembershipProof.Outcome;
import io.peersync.protocol.secret.MembershipProof.Verdict;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MembershipProofTest {
    private final FolderSecret rw = FolderSecret.generate();
    private final FolderSecret ro = rw.readOnly().orElseThrow();
    private final FolderSecret enc = rw.encrypted().orElseThrow();
    private final NodeId alice = node("alice");
    private final NodeId bob = node("bob");
    private final NodeId mallory = node("mallory");
    private final byte[] aliceNonce = MembershipProof.newNonce();
    private final byte[] bobNonce = MembershipProof.newNonce();

    private static NodeId node(String name) {
        return NodeId.ofPublicKey(name.getBytes(StandardCharsets.UTF_8));
    }

    private MembershipProof prove(FolderSecret secret) {
        return MembershipProof.create(secret, alice, bob, aliceNonce, bobNonce);
    }

    private Verdict check(MembershipProof proof, FolderSecret verifierSecret) {
        return proof.verify(verifierSecret, alice, bob, aliceNonce, bobNonce);
    }

    @Test
    void acceptsEveryLevelAtItsLevelWhenTheVerifierCanCheckIt() {
        assertEquals(new Verdict(Outcome.MEMBER, AccessLevel.READ_WRITE), check(prove(rw), rw));
        assertEquals(new Verdict(Outcome.MEMBER, AccessLevel.READ_WRITE), check(prove(rw), ro));
        assertEquals(new Verdict(Outcome.MEMBER, AccessLevel.READ_WRITE), check(prove(rw), enc));
        assertEquals(new Verdict(Outcome.MEMBER, AccessLevel.READ_ONLY), check(prove(ro), rw));
        assertEquals(new Verdict(Outcome.MEMBER, AccessLevel.READ_ONLY), check(prove(ro), ro));
        assertEquals(new Verdict(Outcome.MEMBER, AccessLevel.ENCRYPTED), check(prove(enc), rw));
        assertEquals(new Verdict(Outcome.MEMBER, AccessLevel.ENCRYPTED), check(prove(enc), enc));
        assertTrue(check(prove(enc), ro).member());
    }

    @Test
    void encryptedVerifierConfirmsReadOnlyClaimOnlyAsEncrypted() {
        Verdict verdict = check(prove(ro), enc);
        assertEquals(new Verdict(Outcome.LEVEL_UNPROVEN, AccessLevel.ENCRYPTED), verdict);
        assertTrue(verdict.member());
    }

    @Test
    void rejectsSecretOfAnotherFolder() {
        FolderSecret other = FolderSecret.generate();
        Verdict verdict = check(prove(other), rw);
        assertEquals(new Verdict(Outcome.WRONG_SECRET, null), verdict);
        assertFalse(verdict.member());
        assertEquals(Outcome.WRONG_SECRET, check(prove(rw), other.encrypted().orElseThrow()).outcome());
    }

    @Test
    void rejectsReplayIntoSessionWithFreshNonce() {
        MembershipProof proof = prove(rw);
        byte[] freshBobNonce = MembershipProof.newNonce();
        assertEquals(Outcome.WRONG_SECRET, proof.verify(rw, alice, bob, aliceNonce, freshBobNonce).outcome());
        assertEquals(Outcome.WRONG_SECRET,
                proof.verify(rw, alice, bob, MembershipProof.newNonce(), bobNonce).outcome());
        // The nonces are bound in their roles, not as a set.
        assertEquals(Outcome.WRONG_SECRET, proof.verify(rw, alice, bob, bobNonce, aliceNonce).outcome());
    }

    @Test
    void rejectsRelayToAnotherVerifierOrFromAnotherProver() {
        MembershipProof proof = prove(ro);
        assertEquals(Outcome.WRONG_SECRET, proof.verify(rw, mallory, bob, aliceNonce, bobNonce).outcome());
        assertEquals(Outcome.WRONG_SECRET, proof.verify(rw, alice, mallory, aliceNonce, bobNonce).outcome());
        assertEquals(Outcome.WRONG_SECRET, proof.verify(rw, bob, alice, aliceNonce, bobNonce).outcome());
    }

    @Test
    void rejectsUpgradedLevelClaim() {
        // An encrypted-level member holds the auth key but cannot make a read-only or read-write level proof.
        MembershipProof real = prove(enc);
        byte[] transcriptAsReadOnly = MembershipProof.transcript(rw.folderId(), AccessLevel.READ_ONLY, alice, bob,
                aliceNonce, bobNonce);
        byte[] forgedTag = Crypto.hmac(enc.authKey(), transcriptAsReadOnly);
        MembershipProof claimReadOnly = new MembershipProof(AccessLevel.READ_ONLY, forgedTag, new byte[32]);
        assertEquals(new Verdict(Outcome.LEVEL_UNPROVEN, AccessLevel.ENCRYPTED), check(claimReadOnly, rw));
        assertEquals(new Verdict(Outcome.LEVEL_UNPROVEN, AccessLevel.ENCRYPTED), check(claimReadOnly, ro));

        byte[] transcriptAsReadWrite = MembershipProof.transcript(rw.folderId(), AccessLevel.READ_WRITE, alice, bob,
                aliceNonce, bobNonce);
        MembershipProof claimReadWrite = new MembershipProof(AccessLevel.READ_WRITE,
                Crypto.hmac(enc.authKey(), transcriptAsReadWrite), new byte[64]);
        assertEquals(new Verdict(Outcome.LEVEL_UNPROVEN, AccessLevel.ENCRYPTED), check(claimReadWrite, enc));

        // Relabelling a real proof breaks the auth tag, since the level is in the transcript.
        MembershipProof relabelled = new MembershipProof(AccessLevel.READ_ONLY, real.authTag(), new byte[32]);
        assertEquals(Outcome.WRONG_SECRET, check(relabelled, rw).outcome());
    }

    @Test
    void rejectsTamperedSignatureAndTag() {
        MembershipProof proof = prove(rw);
        byte[] signature = proof.levelProof();
        signature[5] ^= 0x40;
        MembershipProof badSignature = new MembershipProof(AccessLevel.READ_WRITE, proof.authTag(), signature);
        assertEquals(new Verdict(Outcome.LEVEL_UNPROVEN, AccessLevel.ENCRYPTED), check(badSignature, ro));

        byte[] tag = proof.authTag();
        tag[31] ^= 1;
        MembershipProof badTag = new MembershipProof(AccessLevel.READ_WRITE, tag, proof.levelProof());
        assertEquals(Outcome.WRONG_SECRET, check(badTag, rw).outcome());
    }

    @Test
    void tamperedReadOnlyHmacIsUnproven() {
        MembershipProof proof = prove(ro);
        byte[] hmac = proof.levelProof();
        hmac[0] ^= 1;
        MembershipProof tampered = new MembershipProof(AccessLevel.READ_ONLY, proof.authTag(), hmac);
        assertEquals(new Verdict(Outcome.LEVEL_UNPROVEN, AccessLevel.ENCRYPTED), check(tampered, rw));
    }

    @Test
    void validatesLengthsWithExpectedValues() {
        var nonce = assertThrows(IllegalArgumentException.class,
                () -> MembershipProof.create(rw, alice, bob, new byte[31], bobNonce));
        assertEquals("prover nonce length: 31 (expected: 32)", nonce.getMessage());
        assertThrows(IllegalArgumentException.class, () -> prove(rw).verify(rw, alice, bob, aliceNonce, new byte[0]));
        var tag = assertThrows(IllegalArgumentException.class,
                () -> new MembershipProof(AccessLevel.ENCRYPTED, new byte[16], new byte[0]));
        assertEquals("membership auth tag length: 16 (expected: 32)", tag.getMessage());
        var sig = assertThrows(IllegalArgumentException.class,
                () -> new MembershipProof(AccessLevel.READ_WRITE, new byte[32], new byte[32]));
        assertEquals("membership level proof length: 32 (expected: 64 for read-write)", sig.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new MembershipProof(AccessLevel.ENCRYPTED, new byte[32], new byte[1]));
    }

    @Test
    void proofsAreFreshPerSessionAndCopiedDefensively() {
        MembershipProof first = prove(rw);
        assertEquals(first, prove(rw));
        assertNotEquals(first, MembershipProof.create(rw, alice, bob, aliceNonce, MembershipProof.newNonce()));
        byte[] tag = first.authTag();
        tag[0] ^= 1;
        assertEquals(Outcome.MEMBER, check(first, rw).outcome());
        assertEquals(64, first.levelProof().length);
        assertEquals(32, prove(ro).levelProof().length);
        assertEquals(0, prove(enc).levelProof().length);
    }
}
