package io.peersync.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What travels with a file record so that every member can check who made it, including encrypted nodes
 * that see no plaintext; made by {@code RecordSigner.seal}.
 *
 * @param encryptedPath        the record's path as {@code ContentCipher.encryptPath} encrypts it
 * @param encryptedSize        the sum of the encrypted sizes of the record's blocks
 * @param encryptedBlockHashes SHA-256 of each encrypted block, in block order
 * @param plainDigest          {@code RecordSigner.plainDigest} of the record
 * @param signature            the folder key's Ed25519 signature of the record message
 * @param encryptedMetadata    the plain record ({@code RecordCodec} bytes, sequence 0, no seal) encrypted with the
 *                             content key, so that a member that learns the record from an encrypted node can read
 *                             it; its integrity follows from the signed plain digest
 */
public record SealedInfo(String encryptedPath, long encryptedSize, List<Hash> encryptedBlockHashes,
        Hash plainDigest, byte[] signature, byte[] encryptedMetadata) {
    public static final int SIGNATURE_BYTES = 64;
    public static final int MAX_METADATA_BYTES = 8 * 1024 * 1024;

    /** Sealed info without encrypted metadata (as a test or an older record may have). */
    public SealedInfo(String encryptedPath, long encryptedSize, List<Hash> encryptedBlockHashes, Hash plainDigest,
                      byte[] signature) {
        this(encryptedPath, encryptedSize, encryptedBlockHashes, plainDigest, signature, new byte[0]);
    }

    public SealedInfo {
        FolderPath.validate(encryptedPath);
        if (encryptedSize < 0) {
            throw new IllegalArgumentException("encrypted size: " + encryptedSize + " (expected: >= 0)");
        }
        encryptedBlockHashes = List.copyOf(Objects.requireNonNull(encryptedBlockHashes, "encryptedBlockHashes"));
        Objects.requireNonNull(plainDigest, "plainDigest");
        Objects.requireNonNull(signature, "signature");
        if (signature.length != SIGNATURE_BYTES) {
            throw new IllegalArgumentException("signature length: " + signature.length
                    + " (expected: " + SIGNATURE_BYTES + ")");
        }
        signature = signature.clone();
        Objects.requireNonNull(encryptedMetadata, "encryptedMetadata");
        if (encryptedMetadata.length > MAX_METADATA_BYTES) {
            throw new IllegalArgumentException("encrypted metadata: " + encryptedMetadata.length
                    + " bytes (expected: <= " + MAX_METADATA_BYTES + ")");
        }
    }

    /** Not copied: callers must not modify it. */
    @Override
    public byte[] encryptedMetadata() {
        return encryptedMetadata;
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedInfo s && encryptedPath.equals(s.encryptedPath) && encryptedSize == s.encryptedSize
                && encryptedBlockHashes.equals(s.encryptedBlockHashes) && plainDigest.equals(s.plainDigest)
                && Arrays.equals(signature, s.signature) && Arrays.equals(encryptedMetadata, s.encryptedMetadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(encryptedPath, encryptedSize, encryptedBlockHashes, plainDigest, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "SealedInfo{" + encryptedPath.substring(0, Math.min(16, encryptedPath.length())) + "..., "
                + encryptedSize + " bytes, " + encryptedBlockHashes.size() + " blocks, plain " + plainDigest + "}";
    }
}
