package io.peersync.protocol.secret;

import com.google.common.io.BaseEncoding;
import io.peersync.protocol.FolderId;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The key to one shared folder, at one access level; whoever holds its text is a member of the folder.
 *
 * <p>How the keys are made (all HKDF is HKDF-SHA256 with an empty salt and a 32-byte output):
 * <ul>
 *   <li>A <b>read-write</b> secret is a 32-byte random seed. From it: the Ed25519 signing-key seed =
 *       HKDF(seed, "peersync v1 signing") and the content key = HKDF(seed, "peersync v1 content").
 *       The public key is the Ed25519 public key of the signing key.</li>
 *   <li>A <b>read-only</b> secret is the public key (32 bytes) followed by the content key (32 bytes).</li>
 *   <li>An <b>encrypted</b> secret is the public key followed by the auth key (32 bytes).</li>
 *   <li>The auth key, which every member holds, is HKDF(content key, "peersync v1 auth").</li>
 *   <li>Read-write and read-only secrets also derive, from the content key, the name key
 *       (HKDF(content key, "peersync v1 names")), the block key ("peersync v1 blocks") and the nonce key
 *       ("peersync v1 nonces"); {@link #contentCipher()} holds them.</li>
 *   <li>The folder id is the first 16 bytes of SHA-256("peersync v1 folder" || public key), so it is the
 *       same at every level and reveals nothing that lets anyone derive a key.</li>
 * </ul>
 * Every step runs one way only: read-write gives read-only and encrypted, read-only gives encrypted.
 *
 * <p>The text form is the level's prefix character ('W', 'R' or 'E') followed by the base32 (RFC 4648
 * alphabet, upper case, no padding) of the payload and a 4-byte checksum, the first 4 bytes of
 * SHA-256(prefix character || payload). Parsing ignores case and surrounding white space, and the
 * checksum catches typos. {@link #toString()} never shows key material.
 */
public final class FolderSecret {
    static final int SEED_BYTES = 32;
    static final int CHECKSUM_BYTES = 4;
    private static final BaseEncoding BASE32 = BaseEncoding.base32().omitPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccessLevel level;
    private final byte[] payload;
    private final Ed25519PrivateKeyParameters signingKey;
    private final Ed25519PublicKeyParameters publicKey;
    private final byte[] contentKey;
    private final byte[] authKey;
    private final FolderId folderId;
    private final ContentCipher contentCipher;

    private FolderSecret(AccessLevel level, byte[] payload, Ed25519PrivateKeyParameters signingKey,
            Ed25519PublicKeyParameters publicKey, byte[] contentKey, byte[] authKey) {
        this.level = level;
        this.payload = payload;
        this.signingKey = signingKey;
        this.publicKey = publicKey;
        this.contentKey = contentKey;
        this.authKey = authKey;
        this.contentCipher = contentKey == null ? null : new ContentCipher(contentKey);
        this.folderId = FolderId.ofBytes(Arrays.copyOf(
                Crypto.sha256(Crypto.ascii("peersync v1 folder"), publicKey.getEncoded()), FolderId.BYTES));
    }

    /** A new read-write secret for a new folder, from a fresh random seed. */
    public static FolderSecret generate() {
        byte[] seed = new byte[SEED_BYTES];
        RANDOM.nextBytes(seed);
        return fromSeed(seed);
    }

    /** The read-write secret with this seed; package-private so tests can pin known answers. */
    static FolderSecret fromSeed(byte[] seed) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("seed length: " + seed.length + " (expected: " + SEED_BYTES + ")");
        }
        var signingKey = new Ed25519PrivateKeyParameters(Crypto.hkdf(seed, "peersync v1 signing"));
        byte[] contentKey = Crypto.hkdf(seed, "peersync v1 content");
        return new FolderSecret(AccessLevel.READ_WRITE, seed.clone(), signingKey, signingKey.generatePublicKey(),
                contentKey, Crypto.hkdf(contentKey, "peersync v1 auth"));
    }

    private static FolderSecret readOnly(Ed25519PublicKeyParameters publicKey, byte[] contentKey) {
        byte[] payload = concat(publicKey.getEncoded(), contentKey);
        return new FolderSecret(AccessLevel.READ_ONLY, payload, null, publicKey, contentKey.clone(),
                Crypto.hkdf(contentKey, "peersync v1 auth"));
    }

    private static FolderSecret encrypted(Ed25519PublicKeyParameters publicKey, byte[] authKey) {
        byte[] payload = concat(publicKey.getEncoded(), authKey);
        return new FolderSecret(AccessLevel.ENCRYPTED, payload, null, publicKey, null, authKey.clone());
    }

    /** Parses a secret's text; throws {@link SecretFormatException} with one sentence saying what is wrong. */
    public static FolderSecret parse(String text) {
        String clean = text == null ? "" : text.strip();
        if (clean.isEmpty()) {
            throw new SecretFormatException("secret: empty (expected: a secret starting with W, R or E)");
        }
        char prefix = Character.toUpperCase(clean.charAt(0));
        AccessLevel level;
        try {
            level = AccessLevel.ofPrefix(prefix);
        } catch (IllegalArgumentException e) {
            throw new SecretFormatException("secret: unknown access level '" + clean.charAt(0)
                    + "' (expected: the first character to be W, R or E)");
        }
        String body = clean.substring(1).toUpperCase();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '2' && c <= '7')) {
                throw new SecretFormatException("secret: '" + clean.charAt(i + 1) + "' at position " + (i + 2)
                        + " is not a base32 character (expected: letters A-Z and digits 2-7)");
            }
        }
        int payloadBytes = payloadBytes(level);
        int expectedChars = encodedChars(payloadBytes + CHECKSUM_BYTES);
        if (body.length() != expectedChars) {
            throw new SecretFormatException("secret: " + (body.length() + 1) + " characters (expected: "
                    + (expectedChars + 1) + (level == AccessLevel.ENCRYPTED ? " for an " : " for a ")
                    + level.jsonName() + " secret)");
        }
        byte[] decoded = BASE32.decode(body);
        // A typo in the last character can flip only the unused trailing bits; only the canonical form is valid.
        boolean canonical = BASE32.encode(decoded).equals(body);
        byte[] data = Arrays.copyOf(decoded, payloadBytes);
        byte[] checksum = Arrays.copyOfRange(decoded, payloadBytes, decoded.length);
        if (!canonical || !MessageDigest.isEqual(checksum, checksum(level, data))) {
            throw new SecretFormatException("the secret has a typo: its checksum does not match");
        }
        return switch (level) {
            case READ_WRITE -> fromSeed(data);
            case READ_ONLY -> readOnly(publicKey(data), Arrays.copyOfRange(data, 32, 64));
            case ENCRYPTED -> encrypted(publicKey(data), Arrays.copyOfRange(data, 32, 64));
        };
    }

    public AccessLevel level() {
        return level;
    }

    public FolderId folderId() {
        return folderId;
    }

    /** The text form, to share with other nodes or paste into the CLI. */
    public String text() {
        return level.prefix() + BASE32.encode(concat(payload, checksum(level, payload)));
    }

    /** This secret if it is read-write; read-only and encrypted secrets cannot give it. */
    public Optional<FolderSecret> readWrite() {
        return level == AccessLevel.READ_WRITE ? Optional.of(this) : Optional.empty();
    }

    /** The read-only secret of this folder, derivable from a read-write or read-only one. */
    public Optional<FolderSecret> readOnly() {
        return switch (level) {
            case READ_WRITE -> Optional.of(readOnly(publicKey, contentKey));
            case READ_ONLY -> Optional.of(this);
            case ENCRYPTED -> Optional.empty();
        };
    }

    /** The encrypted secret of this folder, derivable from every level. */
    public Optional<FolderSecret> encrypted() {
        return Optional.of(level == AccessLevel.ENCRYPTED ? this : encrypted(publicKey, authKey));
    }

    /** The folder's Ed25519 public key (32 bytes), which checks read-write signatures. */
    public byte[] publicKey() {
        return publicKey.getEncoded();
    }

    /** The key every member holds; it authenticates membership in handshakes. */
    public byte[] authKey() {
        return authKey.clone();
    }

    /** The key that encrypts and authenticates file content, held by read-write and read-only secrets. */
    public Optional<byte[]> contentKey() {
        return contentKey == null ? Optional.empty() : Optional.of(contentKey.clone());
    }

    /**
     * Encrypts and decrypts names and blocks for encrypted nodes, with keys derived from the content key;
     * empty for an encrypted secret, which holds no content key.
     */
    public Optional<ContentCipher> contentCipher() {
        return Optional.ofNullable(contentCipher);
    }

    /** Signs with the folder's Ed25519 key; only a read-write secret can. */
    public byte[] sign(byte[] message) {
        if (signingKey == null) {
            throw new IllegalStateException("secret: cannot sign with a " + level.jsonName()
                    + " secret (expected: read-write)");
        }
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, signingKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** True if {@code signature} is the folder key's Ed25519 signature of {@code message}. */
    public boolean verifySignature(byte[] message, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, publicKey);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FolderSecret s && level == s.level && MessageDigest.isEqual(payload, s.payload);
    }

    @Override
    public int hashCode() {
        return 31 * level.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "FolderSecret{" + level.jsonName() + ", folder " + folderId + "}";
    }

    private static int payloadBytes(AccessLevel level) {
        return level == AccessLevel.READ_WRITE ? SEED_BYTES : 2 * Crypto.KEY_BYTES;
    }

    private static int encodedChars(int bytes) {
        return (bytes * 8 + 4) / 5;
    }

    private static byte[] checksum(AccessLevel level, byte[] payload) {
        byte[] digest = Crypto.sha256(new byte[] {(byte) level.prefix()}, payload);
        return Arrays.copyOf(digest, CHECKSUM_BYTES);
    }

    private static Ed25519PublicKeyParameters publicKey(byte[] payload) {
        try {
            return new Ed25519PublicKeyParameters(payload, 0);
        } catch (IllegalArgumentException e) {
            throw new SecretFormatException("secret: its public key is not a valid Ed25519 key");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
