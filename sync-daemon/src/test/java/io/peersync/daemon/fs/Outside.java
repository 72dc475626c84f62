package io.peersync.daemon.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A directory outside the folder that a local user points symlinks at (a secret {@code shadow}, {@code deep/x}), and
 * the check that nothing in it was linked, chowned, chmodded, written, made or deleted: every entry's ctime, mtime,
 * mode, owner, group, link count and size stay what they were.
 */
final class Outside {
    static final String SECRET = "root:$6$hash:19000\n";

    final Path dir;
    private final Map<String, List<Object>> before;

    private Outside(Path dir) throws IOException {
        this.dir = dir;
        this.before = snapshot(dir);
    }

    /** Makes {@code dir} with {@code shadow} (mode 0600), {@code deep/x} and, for each of {@code more}, a file. */
    static Outside at(Path dir, String... more) throws IOException {
        Files.createDirectories(dir.resolve("deep"));
        Path secret = Files.writeString(dir.resolve("shadow"), SECRET);
        Files.setAttribute(secret, "unix:mode", 0600);
        Files.writeString(dir.resolve("deep/x"), "x");
        for (String name : more) {
            Files.writeString(dir.resolve(name), SECRET);
        }
        return new Outside(dir);
    }

    /** Every entry under {@code top} with its inode state: a link, chown, chmod or write changes its ctime. */
    private static Map<String, List<Object>> snapshot(Path top) throws IOException {
        Map<String, List<Object>> state = new TreeMap<>();
        try (Stream<Path> all = Files.walk(top)) {
            for (Path p : all.toList()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:ctime,lastModifiedTime,mode,uid,gid,nlink,size",
                        LinkOption.NOFOLLOW_LINKS);
                state.put(top.relativize(p).toString(), List.of(a.get("ctime"), a.get("lastModifiedTime"),
                        a.get("mode"), a.get("uid"), a.get("gid"), a.get("nlink"), a.get("size")));
            }
        }
        return state;
    }

    void assertUntouched() throws IOException {
        assertEquals(before, snapshot(dir), "nothing outside the folder was linked, changed, made or deleted");
        assertEquals(SECRET, Files.readString(dir.resolve("shadow")));
    }

    /** One step done while directories are swapped: it may be refused with an {@link IOException}. */
    interface Step {
        void run() throws IOException;
    }

    /**
     * Runs {@code step} up to 300 times (3 seconds at most) while another thread keeps exchanging each pair of
     * entries beneath {@code root} ({@code pairs}: a directory, then the symlink it trades places with, and so on);
     * returns how many steps were done and how many refused.
     */
    static int[] whileSwapping(Path root, Step step, String... pairs) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        Thread attacker = new Thread(() -> {
            while (!stop.get()) {
                for (int i = 0; i < pairs.length; i += 2) {
                    try {
                        Beneath.exchange(root, pairs[i], pairs[i + 1]); // dir and symlink trade places
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        });
        attacker.start();
        int[] doneAndRefused = new int[2];
        try {
            long end = System.nanoTime() + 3_000_000_000L;
            for (int i = 0; i < 300 && System.nanoTime() < end; i++) {
                try {
                    step.run();
                    doneAndRefused[0]++;
                } catch (IOException e) {
                    doneAndRefused[1]++;
                }
            }
        } finally {
            stop.set(true);
            attacker.join();
        }
        return doneAndRefused;
    }

    /** Fails when any regular file under {@code top} (not following symlinks) holds the outside secret. */
    static void assertNoSecretUnder(Path top) throws IOException {
        try (Stream<Path> all = Files.walk(top)) {
            for (Path p : all.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                assertEquals(false, Files.readString(p).contains("$6$hash"), p + " holds content from outside");
            }
        }
    }
}
