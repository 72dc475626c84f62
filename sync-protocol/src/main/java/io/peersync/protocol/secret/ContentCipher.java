package io.peersync.protocol.secret;

import com.google.common.io.BaseEncoding;
import io.peersync.protocol.FolderPath;
import io.peersync.protocol.Hash;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a folder's blocks and path names so that encrypted nodes can store them without reading them.
 *
 * <p>Keys, from the folder's content key (HKDF-SHA256, empty salt, 32 bytes): name key =
 * HKDF(content key, "peersync v1 names"), block key = HKDF(content key, "peersync v1 blocks"), nonce key =
 * HKDF(content key, "peersync v1 nonces").
 *
 * <p>Both blocks and names use deterministic authenticated encryption: AES-256-GCM with a 16-byte tag whose
 * 12-byte nonce is the first 12 bytes of HMAC-SHA256(nonce key, label || input), a PRF of the plaintext
 * (SIV-style). Equal plaintexts therefore give equal ciphertexts, which lets encrypted nodes deduplicate
 * blocks and lets every member compute the same encrypted name; distinct plaintexts get distinct nonces
 * except with probability about n²/2⁹⁷ for n distinct plaintexts under one key.
 * <ul>
 *   <li>A block encrypts to nonce (12) || ciphertext || tag (16), with the nonce input "block" || the
 *       block's SHA-256 and the associated data "peersync v1 block".</li>
 *   <li>A path encrypts the same way from "name" || its UTF-8 bytes with associated data
 *       "peersync v1 name"; the bytes are written in base32 (RFC 4648, upper case, no padding) and laid
 *       out as a folder path: 2 characters / 2 characters / the rest in components of at most 200
 *       characters, all of near-equal length.</li>
 * </ul>
 * AES-GCM is the JDK's (SunJCE), which uses AES-NI and carry-less multiply instructions.
 */
public final class ContentCipher {
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;
    /** Bytes an encrypted block or name has beyond its plaintext. */
    public static final int OVERHEAD = NONCE_BYTES + TAG_BYTES;
    /** The longest plain path (UTF-8 bytes) whose encrypted path still fits {@link FolderPath#MAX_BYTES}. */
    public static final int MAX_PLAIN_PATH_BYTES = 2518;
    /** Files up to this size are padded to a multiple of {@link #SMALL_PADDING}. */
    public static final long SMALL_FILE_LIMIT = 256 * 1024;
    public static final long SMALL_PADDING = 4096;

    /**
     * Blocks are fed to AES-GCM in pieces of this size. The result is the same as one call, but the JIT swaps in
     * the AES-NI and carry-less multiply code only for methods called often: one call per 1 MiB block left a fresh
     * JVM encrypting its first GiB in 13 s; 4 KiB pieces take 1.2 s (0.4 s once warm).
     */
    static final int ENCRYPT_CHUNK = 4096;
    static final int SHARD_CHARS = 2;
    static final int MAX_COMPONENT_CHARS = 200;
    private static final byte[] BLOCK_AAD = Crypto.ascii("peersync v1 block");
    private static final byte[] NAME_AAD = Crypto.ascii("peersync v1 name");
    private static final byte[] BLOCK_NONCE_LABEL = Crypto.ascii("block");
    private static final byte[] NAME_NONCE_LABEL = Crypto.ascii("name");
    private static final BaseEncoding BASE32 = BaseEncoding.base32().omitPadding();
    private static final Pattern BASE32_LETTERS = Pattern.compile("[A-Z2-7]+");
    // Ask for SunJCE by name: a provider registered ahead of it (Bouncy Castle) would run GCM in pure Java.
    private static final Provider JDK_PROVIDER = Security.getProvider("SunJCE");

    private final SecretKeySpec nameKey;
    private final SecretKeySpec blockKey;
    private final byte[] nonceKey;

    ContentCipher(byte[] contentKey) {
        this.nameKey = new SecretKeySpec(Crypto.hkdf(contentKey, "peersync v1 names"), "AES");
        this.blockKey = new SecretKeySpec(Crypto.hkdf(contentKey, "peersync v1 blocks"), "AES");
        this.nonceKey = Crypto.hkdf(contentKey, "peersync v1 nonces");
    }

    /**
     * Encrypts one block; {@code plainHash} must be its SHA-256. The hash is checked, because the nonce is
     * derived from it: a wrong hash could give two different blocks one nonce, which breaks AES-GCM.
     */
    public byte[] encryptBlock(byte[] plain, Hash plainHash) {
        Objects.requireNonNull(plain, "plain");
        Objects.requireNonNull(plainHash, "plainHash");
        if (!Hash.sha256(plain).equals(plainHash)) {
            throw new IllegalArgumentException("plain hash: " + plainHash + " (expected: the SHA-256 of the block, "
                    + Hash.sha256(plain) + ")");
        }
        byte[] nonce = nonce(BLOCK_NONCE_LABEL, plainHash.bytes());
        return seal(blockKey, nonce, BLOCK_AAD, plain);
    }

    /** Decrypts a block made by {@link #encryptBlock}; throws if it was altered, truncated or is another folder's. */
    public byte[] decryptBlock(byte[] cipher) throws GeneralSecurityException {
        Objects.requireNonNull(cipher, "cipher");
        if (cipher.length < OVERHEAD) {
            throw new GeneralSecurityException("encrypted block: " + cipher.length + " bytes (expected: >= "
                    + OVERHEAD + ")");
        }
        try {
            return open(blockKey, BLOCK_AAD, cipher);
        } catch (AEADBadTagException e) {
            throw new AEADBadTagException("encrypted block: authentication failed (altered, truncated, "
                    + "or encrypted with another folder's key)");
        }
    }

    /** The size of a block of {@code plainSize} bytes once encrypted: {@code plainSize + 28}. */
    public static int encryptedSize(int plainSize) {
        if (plainSize < 0) {
            throw new IllegalArgumentException("plain size: " + plainSize + " (expected: >= 0)");
        }
        return Math.addExact(plainSize, OVERHEAD);
    }

    /**
     * The encrypted form of a folder path, itself a valid folder path; the same for every member. Throws
     * {@link IllegalArgumentException} for paths over {@link #MAX_PLAIN_PATH_BYTES} bytes.
     */
    public String encryptPath(String plainPath) {
        FolderPath.validate(plainPath);
        byte[] plain = plainPath.getBytes(StandardCharsets.UTF_8);
        if (plain.length > MAX_PLAIN_PATH_BYTES) {
            throw new IllegalArgumentException("path: " + plain.length + " bytes (expected: <= "
                    + MAX_PLAIN_PATH_BYTES + " so that its encrypted form fits " + FolderPath.MAX_BYTES + ")");
        }
        byte[] sealed = seal(nameKey, nonce(NAME_NONCE_LABEL, plain), NAME_AAD, plain);
        return layout(BASE32.encode(sealed));
    }

    /**
     * The plain path of an encrypted path made by {@link #encryptPath}. Only the exact form that
     * {@code encryptPath} gives is accepted, so each plain path has a single encrypted name.
     */
    public String decryptPath(String encPath) throws GeneralSecurityException {
        Objects.requireNonNull(encPath, "encPath");
        String letters = encPath.replace("/", "");
        if (!BASE32_LETTERS.matcher(letters).matches() || letters.length() <= 2 * SHARD_CHARS
                || !layout(letters).equals(encPath)) {
            throw new GeneralSecurityException("encrypted path: " + abbreviate(encPath)
                    + " (expected: base32 laid out as XX/XX/rest, as encryptPath makes it)");
        }
        byte[] sealed;
        try {
            sealed = BASE32.decode(letters);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("encrypted path: " + abbreviate(encPath) + " is not valid base32");
        }
        if (sealed.length <= OVERHEAD || !BASE32.encode(sealed).equals(letters)) {
            throw new GeneralSecurityException("encrypted path: " + abbreviate(encPath)
                    + " (expected: canonical base32 of more than " + OVERHEAD + " bytes)");
        }
        byte[] plain;
        try {
            plain = open(nameKey, NAME_AAD, sealed);
        } catch (AEADBadTagException e) {
            throw new AEADBadTagException("encrypted path: authentication failed (altered, or encrypted with "
                    + "another folder's key)");
        }
        // Only content-key holders could make such a name; still, refuse a second name for the same path.
        if (!MessageDigest.isEqual(Arrays.copyOf(sealed, NONCE_BYTES), nonce(NAME_NONCE_LABEL, plain))) {
            throw new AEADBadTagException("encrypted path: its nonce is not derived from its plaintext");
        }
        return new String(plain, StandardCharsets.UTF_8);
    }

    /**
     * The size to pad a file of {@code size} bytes to, so that encrypted nodes learn only a size class:
     * up to 256 KiB, the next multiple of 4 KiB; above, the next multiple of 1/64 of the next power of two
     * (at most about 3% more). Zero stays zero. Not applied by the engine yet. Throws
     * {@link ArithmeticException} above 2⁶³ − 2⁵⁷, where the padded size would not fit a long.
     */
    public static long paddedSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
        }
        long granularity = size <= SMALL_FILE_LIMIT ? SMALL_PADDING : Long.highestOneBit(size - 1) >>> 5;
        long units = size / granularity + (size % granularity == 0 ? 0 : 1);
        return Math.multiplyExact(units, granularity);
    }

    @Override
    public String toString() {
        return "ContentCipher{keys hidden}";
    }

    private byte[] nonce(byte[] label, byte[] input) {
        byte[] message = Arrays.copyOf(label, label.length + input.length);
        System.arraycopy(input, 0, message, label.length, input.length);
        return Arrays.copyOf(Crypto.hmac(nonceKey, message), NONCE_BYTES);
    }

    private static byte[] seal(SecretKeySpec key, byte[] nonce, byte[] aad, byte[] plain) {
        try {
            Cipher gcm = gcm(Cipher.ENCRYPT_MODE, key, nonce, aad);
            byte[] out = Arrays.copyOf(nonce, encryptedSize(plain.length));
            int written = NONCE_BYTES;
            for (int at = 0; at < plain.length; at += ENCRYPT_CHUNK) {
                written += gcm.update(plain, at, Math.min(ENCRYPT_CHUNK, plain.length - at), out, written);
            }
            gcm.doFinal(out, written);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    private static byte[] open(SecretKeySpec key, byte[] aad, byte[] sealed) throws GeneralSecurityException {
        Cipher gcm = gcm(Cipher.DECRYPT_MODE, key, Arrays.copyOf(sealed, NONCE_BYTES), aad);
        return gcm.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    }

    // A fresh Cipher each time: the JDK refuses to encrypt twice with one key and nonce on one instance,
    // and deterministic encryption does exactly that for equal blocks.
    private static Cipher gcm(int mode, SecretKeySpec key, byte[] nonce, byte[] aad) throws GeneralSecurityException {
        Cipher gcm = JDK_PROVIDER != null
                ? Cipher.getInstance("AES/GCM/NoPadding", JDK_PROVIDER)
                : Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        gcm.updateAAD(aad);
        return gcm;
    }

    /** XX/XX/rest, the rest cut into the fewest components of at most 200 characters, of near-equal length. */
    static String layout(String letters) {
        StringBuilder out = new StringBuilder(letters.length() + 32)
                .append(letters, 0, SHARD_CHARS).append('/')
                .append(letters, SHARD_CHARS, 2 * SHARD_CHARS);
        // Equal lengths leave no short last component that could be a Windows device name (CON, COM2...).
        String rest = letters.substring(2 * SHARD_CHARS);
        int parts = (rest.length() + MAX_COMPONENT_CHARS - 1) / MAX_COMPONENT_CHARS;
        int start = 0;
        for (int i = 0; i < parts; i++) {
            int length = rest.length() / parts + (i < rest.length() % parts ? 1 : 0);
            out.append('/').append(rest, start, start + length);
            start += length;
        }
        return out.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
