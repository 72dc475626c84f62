package io.peersync.protocol.secret;

import io.peersync.protocol.FolderId;
import io.peersync.protocol.NodeId;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A handshake proof that the sender holds a folder's secret, and at which level, bound to one session.
 *
 * <p>Both sides build the same transcript: the length-prefixed (4-byte big-endian length before each
 * field) concatenation of "peersync v1 membership", the folder id's 16 bytes, the claimed level's code
 * (one byte), the prover's node id hash, the verifier's node id hash, the prover's nonce and the
 * verifier's nonce (32 bytes each). The node ids are the hashes of the certificate keys that TLS 1.3
 * mutual authentication proved, and the verifier's nonce is fresh, so a proof cannot be replayed in
 * another session nor relayed to a node other than the one it was made for.
 *
 * <p>{@code authTag} = HMAC-SHA256(auth key, transcript) proves membership at any level. {@code levelProof}
 * proves the level: for read-write the folder key's Ed25519 signature of the transcript, for read-only
 * HMAC-SHA256(content key, transcript), for encrypted nothing.
 */
public record MembershipProof(AccessLevel level, byte[] authTag, byte[] levelProof) {
    public static final int NONCE_BYTES = 32;
    public static final int TAG_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    public MembershipProof {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(authTag, "authTag");
        Objects.requireNonNull(levelProof, "levelProof");
        if (authTag.length != TAG_BYTES) {
            throw new IllegalArgumentException("membership auth tag length: " + authTag.length
                    + " (expected: " + TAG_BYTES + ")");
        }
        int expected = levelProofBytes(level);
        if (levelProof.length != expected) {
            throw new IllegalArgumentException("membership level proof length: " + levelProof.length
                    + " (expected: " + expected + " for " + level.jsonName() + ")");
        }
        authTag = authTag.clone();
        levelProof = levelProof.clone();
    }

    /** How a verifier judged a proof. */
    public enum Outcome {
        /** The auth tag and the level proof both check out. */
        MEMBER,
        /** The auth tag checks out but the claimed level could not be confirmed; trust only {@link Verdict#level()}. */
        LEVEL_UNPROVEN,
        /** The auth tag does not match: the prover holds no secret of this folder (or this is another session). */
        WRONG_SECRET
    }

    /** The verifier's conclusion: the outcome and the level it confirmed (null only for WRONG_SECRET). */
    public record Verdict(Outcome outcome, AccessLevel level) {
        public Verdict {
            Objects.requireNonNull(outcome, "outcome");
            if ((outcome == Outcome.WRONG_SECRET) != (level == null)) {
                throw new IllegalArgumentException("verdict level: " + level
                        + " (expected: null exactly when the secret is wrong)");
            }
        }

        /** True if the prover holds some secret of the folder. */
        public boolean member() {
            return outcome != Outcome.WRONG_SECRET;
        }
    }

    /** A fresh random nonce for one handshake. */
    public static byte[] newNonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /** Proves, as {@code prover} to {@code verifier}, that this node holds {@code mine} at its level. */
    public static MembershipProof create(FolderSecret mine, NodeId prover, NodeId verifier,
            byte[] proverNonce, byte[] verifierNonce) {
        AccessLevel level = mine.level();
        byte[] transcript = transcript(mine.folderId(), level, prover, verifier, proverNonce, verifierNonce);
        byte[] authTag = Crypto.hmac(mine.authKey(), transcript);
        byte[] levelProof = switch (level) {
            case READ_WRITE -> mine.sign(transcript);
            case READ_ONLY -> Crypto.hmac(mine.contentKey().orElseThrow(), transcript);
            case ENCRYPTED -> new byte[0];
        };
        return new MembershipProof(level, authTag, levelProof);
    }

    /**
     * Checks this proof, received from {@code prover}, against the verifier's own secret of the folder.
     * A verifier confirms only what its own keys can check: an encrypted-level verifier has no content
     * key, so it confirms a read-only claim as encrypted only (LEVEL_UNPROVEN), which grants nothing more.
     */
    public Verdict verify(FolderSecret mine, NodeId prover, NodeId verifier, byte[] proverNonce,
            byte[] verifierNonce) {
        byte[] transcript = transcript(mine.folderId(), level, prover, verifier, proverNonce, verifierNonce);
        if (!MessageDigest.isEqual(authTag, Crypto.hmac(mine.authKey(), transcript))) {
            return new Verdict(Outcome.WRONG_SECRET, null);
        }
        boolean proven = switch (level) {
            case READ_WRITE -> mine.verifySignature(transcript, levelProof);
            case READ_ONLY -> mine.contentKey()
                    .map(key -> MessageDigest.isEqual(levelProof, Crypto.hmac(key, transcript)))
                    .orElse(false);
            case ENCRYPTED -> true;
        };
        return proven ? new Verdict(Outcome.MEMBER, level) : new Verdict(Outcome.LEVEL_UNPROVEN, AccessLevel.ENCRYPTED);
    }

    @Override
    public byte[] authTag() {
        return authTag.clone();
    }

    @Override
    public byte[] levelProof() {
        return levelProof.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MembershipProof p && level == p.level && Arrays.equals(authTag, p.authTag)
                && Arrays.equals(levelProof, p.levelProof);
    }

    @Override
    public int hashCode() {
        return Objects.hash(level, Arrays.hashCode(authTag), Arrays.hashCode(levelProof));
    }

    @Override
    public String toString() {
        return "MembershipProof{" + level.jsonName() + "}";
    }

    static byte[] transcript(FolderId folder, AccessLevel level, NodeId prover, NodeId verifier,
            byte[] proverNonce, byte[] verifierNonce) {
        checkNonce("prover nonce", proverNonce);
        checkNonce("verifier nonce", verifierNonce);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, Crypto.ascii("peersync v1 membership"));
        field(out, folder.bytes());
        field(out, new byte[] {(byte) level.code()});
        field(out, prover.hash().bytes());
        field(out, verifier.hash().bytes());
        field(out, proverNonce);
        field(out, verifierNonce);
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static void checkNonce(String name, byte[] nonce) {
        Objects.requireNonNull(nonce, name);
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException(name + " length: " + nonce.length + " (expected: " + NONCE_BYTES + ")");
        }
    }

    private static int levelProofBytes(AccessLevel level) {
        return switch (level) {
            case READ_WRITE -> SIGNATURE_BYTES;
            case READ_ONLY -> TAG_BYTES;
            case ENCRYPTED -> 0;
        };
    }
}
