package io.peersync.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/** Snapshots of folder trees (what a user would see, minus {@code .peersync}) and readable comparisons. */
public final class Trees {
    /** Folder-internal state that is never synced. */
    public static final String INTERNAL_DIR = ".peersync";
    private static final int MAX_DIFF_LINES = 40;

    private Trees() {
    }

    /** One entry of a tree: kind, permission bits, and the content hash (file) or target (symlink). */
    public record Entry(String kind, String mode, long size, String content) {
        @Override
        public String toString() {
            return kind + " " + mode + ("file".equals(kind) ? " " + size + " B sha256 " + content.substring(0, 12)
                    : "symlink".equals(kind) ? " -> " + content : "");
        }
    }

    /** Every path under {@code root} (relative, '/'-separated) except the root and {@code .peersync}. */
    public static Map<String, Entry> snapshot(Path root) {
        Map<String, Entry> entries = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (dir.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    String rel = relative(root, dir);
                    if (rel.equals(INTERNAL_DIR)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    entries.put(rel, new Entry("dir", mode(dir), 0, ""));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String rel = relative(root, file);
                    if (attrs.isSymbolicLink()) {
                        entries.put(rel, new Entry("symlink", "", 0, Files.readSymbolicLink(file).toString()));
                    } else if (attrs.isRegularFile()) {
                        entries.put(rel, new Entry("file", mode(file), attrs.size(), sha256(file)));
                    } else {
                        entries.put(rel, new Entry("other", "", 0, ""));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot of " + root, e);
        }
        return entries;
    }

    /** The differences between two snapshots, one readable line each; empty when they are the same. */
    public static List<String> diff(String nameA, Map<String, Entry> a, String nameB, Map<String, Entry> b) {
        List<String> lines = new ArrayList<>();
        TreeSet<String> paths = new TreeSet<>(a.keySet());
        paths.addAll(b.keySet());
        for (String path : paths) {
            Entry x = a.get(path);
            Entry y = b.get(path);
            if (y == null) {
                lines.add("only on " + nameA + ": " + path + " (" + x + ")");
            } else if (x == null) {
                lines.add("only on " + nameB + ": " + path + " (" + y + ")");
            } else if (!x.equals(y)) {
                boolean sameContent = x.size() == y.size() && Objects.equals(x.content(), y.content());
                String what = !x.kind().equals(y.kind()) ? "kind"
                        : sameContent ? "mode" : x.mode().equals(y.mode()) ? "content" : "content and mode";
                lines.add(what + " differs: " + path + " (" + nameA + ": " + x + "; " + nameB + ": " + y + ")");
            }
        }
        return lines;
    }

    /** Fails, listing the first differences, unless the trees have the same paths, content and modes. */
    public static void assertSame(String nameA, Path a, String nameB, Path b) {
        Map<String, Entry> snapA = snapshot(a);
        Map<String, Entry> snapB = snapshot(b);
        List<String> diff = diff(nameA, snapA, nameB, snapB);
        if (!diff.isEmpty()) {
            StringBuilder message = new StringBuilder()
                    .append("trees differ: ").append(nameA).append(" = ").append(a).append(" (").append(snapA.size())
                    .append(" entries), ").append(nameB).append(" = ").append(b).append(" (").append(snapB.size())
                    .append(" entries), ").append(diff.size()).append(" differences:");
            diff.stream().limit(MAX_DIFF_LINES).forEach(line -> message.append("\n  ").append(line));
            if (diff.size() > MAX_DIFF_LINES) {
                message.append("\n  … and ").append(diff.size() - MAX_DIFF_LINES).append(" more");
            }
            fail(message.toString());
        }
    }

    /** How many regular files the snapshot holds. */
    public static long fileCount(Map<String, Entry> snapshot) {
        return snapshot.values().stream().filter(e -> e.kind().equals("file")).count();
    }

    /** Hex SHA-256 of a file's content. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }
}
