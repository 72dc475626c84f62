package io.peersync.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Large files of seeded random bytes, written streamed, with their SHA-256. */
public final class RandomFiles {
    /** One mebibyte. */
    public static final long MIB = 1L << 20;

    private RandomFiles() {
    }

    /** A file of random bytes and its SHA-256. */
    public record Written(Path path, long size, String sha256) {
    }

    /**
     * Writes {@code size} random bytes from {@code seed} to {@code file}. Tests write outside the shared folder
     * and then move the file in with one rename, so no scanner ever sees it half written.
     */
    public static Written write(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom random = new SplittableRandom(seed);
        MessageDigest digest = Trees.sha256();
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(buffer.length, left);
                fill(random, buffer, n);
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
                left -= n;
            }
        }
        return new Written(file, size, HexFormat.of().formatHex(digest.digest()));
    }

    /** Moves a written file to {@code target} in one rename (same filesystem). */
    public static Path moveInto(Written written, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.move(written.path(), target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void fill(SplittableRandom random, byte[] buffer, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long v = random.nextLong();
            for (int b = 0; b < 8; b++) {
                buffer[i + b] = (byte) (v >>> (8 * b));
            }
        }
        for (; i < n; i++) {
            buffer[i] = (byte) random.nextInt();
        }
    }
}
