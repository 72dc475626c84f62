package io.peersync.it;

import static io.peersync.it.Convergence.awaitConverged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGKILL at random instants while a WordPress tree, a plugin rewritten again and again (200 files) and a 300 MiB
 * file sync from A to B. After each kill, with B dead, an invariant checker reads B's folder: every file at its
 * final path is one whole version A wrote (never a partial one), and nothing B held before is gone; after each
 * restart the nodes converge to the same bytes. {@code -Dpeersync.crash.trials=N} sets the number of kills (5 by
 * default, for CI; {@code mvn -Pfaults} runs 50).
 */
class CrashLoopIT {
    private static final int PLUGIN_FILES = 200;
    private static final long BIG = 300L * 1024 * 1024;
    private static final Duration SYNC = Duration.ofMinutes(4);
    private static final Pattern VERSION = Pattern.compile("<\\?php // version (\\d+) of file (\\d+)\\n.*", Pattern.DOTALL);

    @RegisterExtension
    static final Workspace ws = new Workspace();

    @Test
    void randomKillsNeverShowAPartialFileNeverLoseOneAndTheNodesConverge() throws Exception {
        int trials = Integer.getInteger("peersync.crash.trials", 5);
        long seed = Long.getLong("peersync.crash.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        System.out.println("crash loop: " + trials + " kills, seed " + seed);
        DaemonProcess a = ws.start("crash-a");
        DaemonProcess b = ws.start("crash-b", a.listen());
        Path onA = a.dir().resolve("site");
        Corpus.Summary corpus = Corpus.materialize(onA);
        writePlugin(onA, 0);
        List<String> bigVersions = new ArrayList<>();
        RandomFiles.Written big0 = RandomFiles.write(ws.path("staging/big-0"), BIG, seed);
        bigVersions.add(big0.sha256());
        RandomFiles.moveInto(big0, onA.resolve("big.bin"));
        String secret = a.cliOk("secret", "new").stdout().strip();
        String id = a.cliOk("folder", "add", onA.toString(), "--secret", secret).stdout().strip();
        Path onB = b.dir().resolve("site");
        b.cliOk("folder", "add", onB.toString(), "--secret", secret);
        long files = corpus.files() + PLUGIN_FILES + 1;
        awaitConverged(id, files, SYNC, a, b);
        Trees.assertSame("A", onA, "B", onB);
        java.util.Set<String> heldByB = new HashSet<>(Trees.snapshot(onB).keySet());

        List<Long> convergeMillis = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int trial = 1; trial <= trials; trial++) {
            writePlugin(onA, trial);
            if (trial % 3 == 0) {
                RandomFiles.Written big = RandomFiles.write(ws.path("staging/big-" + trial), BIG, seed + trial);
                bigVersions.add(big.sha256());
                RandomFiles.moveInto(big, onA.resolve("big.bin"));
            }
            long delay = random.nextLong(50, 3000);
            Thread.sleep(delay);
            b.kill9();
            List<String> broken = check(onB, bigVersions, heldByB);
            System.out.printf("trial %d: killed B %d ms after A's changes; %s%n", trial, delay,
                    broken.isEmpty() ? "invariants hold" : "BROKEN: " + broken);
            if (!broken.isEmpty()) {
                failures.add("trial " + trial + ": " + broken);
            }
            b.restart();
            long started = System.nanoTime();
            awaitConverged(id, files, SYNC, a, b);
            convergeMillis.add((System.nanoTime() - started) / 1_000_000);
            Trees.assertSame("A", onA, "B", onB);
        }
        List<Long> sorted = convergeMillis.stream().sorted().toList();
        System.out.printf("crash loop: %d kills, %d with a broken invariant; convergence after restart: median %d ms,"
                        + " max %d ms (seed %d)%n", trials, failures.size(), sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() - 1), seed);
        assertEquals(List.of(), failures);
        a.stop();
        b.stop();
    }

    /** Version {@code v} of the plugin: each file says which version and file it is, padded to a few KiB. */
    private static void writePlugin(Path folder, int v) throws IOException {
        Path staging = Files.createDirectories(ws.path("staging/plugin-" + v));
        for (int i = 0; i < PLUGIN_FILES; i++) {
            Files.writeString(staging.resolve("file-" + i + ".php"), content(v, i));
        }
        Path plugin = folder.resolve("wp-content/plugins/rewritten");
        Files.createDirectories(plugin);
        for (int i = 0; i < PLUGIN_FILES; i++) {
            Files.move(staging.resolve("file-" + i + ".php"), plugin.resolve("file-" + i + ".php"),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String content(int v, int i) {
        return "<?php // version " + v + " of file " + i + "\n" + ("// " + "v".repeat(70) + "\n").repeat(20 + i % 40);
    }

    /** What is wrong with B's folder as the kill left it. */
    private static List<String> check(Path onB, List<String> bigVersions, java.util.Set<String> heldByB)
            throws IOException {
        List<String> broken = new ArrayList<>();
        Path plugin = onB.resolve("wp-content/plugins/rewritten");
        for (int i = 0; i < PLUGIN_FILES; i++) {
            Path f = plugin.resolve("file-" + i + ".php");
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                broken.add("lost " + f);
                continue;
            }
            String text = Files.readString(f, StandardCharsets.UTF_8);
            Matcher m = VERSION.matcher(text);
            if (!m.matches() || Integer.parseInt(m.group(2)) != i
                    || !text.equals(content(Integer.parseInt(m.group(1)), i))) {
                broken.add("partial " + f + " (" + text.length() + " chars)");
            }
        }
        Path big = onB.resolve("big.bin");
        if (!Files.isRegularFile(big)) {
            broken.add("lost " + big);
        } else if (Files.size(big) != BIG || !bigVersions.contains(Trees.sha256(big))) {
            broken.add("partial " + big + " (" + Files.size(big) + " bytes)");
        }
        for (String path : heldByB) {
            if (!Files.exists(onB.resolve(path), LinkOption.NOFOLLOW_LINKS)) {
                broken.add("lost " + path);
            }
        }
        return broken;
    }
}
