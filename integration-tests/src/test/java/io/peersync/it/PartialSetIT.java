package io.peersync.it;

import static io.peersync.it.Convergence.awaitConverged;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A peer that vanishes in the middle of sending a change set: B has received part of the set's records (the
 * connection is cut at an exact byte, mid-index) and no peer that could send the rest is connected. B must apply
 * none of it, for as long as the rest is missing, and apply all of it once the peer is back.
 */
class PartialSetIT {
    /**
     * Files of the plugin; its update is one change set whose records take several index frames. A multiple of the
     * index page (1,000 records): B's own update after applying the set ends on a full page, whose complete mark
     * must still reach A, or A never reports in sync.
     */
    private static final int FILES = 6_000;
    private static final String PLUGIN = "wp-content/plugins/big";
    private static final Duration SYNC = Duration.ofMinutes(4);
    /** How long B must keep the old plugin whole while the rest of the set cannot arrive. */
    private static final Duration HELD = Duration.ofSeconds(6);

    @RegisterExtension
    static final Workspace ws = new Workspace();

    @Test
    void aPeerThatVanishesMidSetLeavesNoPartOfItAppliedAndTheWholeSetLandsWhenItIsBack() throws Exception {
        DaemonProcess a = ws.start("partial-a");
        Path onA = a.dir().resolve("site");
        writePlugin(onA, "1");
        String secret = a.cliOk("secret", "new").stdout().strip();
        String id = a.cliOk("folder", "add", onA.toString(), "--secret", secret).stdout().strip();
        try (FaultProxy proxy = new FaultProxy(a.listen(), new FaultProxy.Rates(0, 0, 0, 0), 1)) {
            DaemonProcess b = ws.start("partial-b", proxy.address());
            Path onB = b.dir().resolve("site");
            b.cliOk("folder", "add", onB.toString(), "--secret", secret);
            awaitConverged(id, FILES, SYNC, a, b);
            // What A sent B so far is its whole index (about the size of the next one) and the small files.
            long firstIndex = proxy.fromTarget.get();

            // B cannot reach A while the plugin is updated on A, one change set of FILES records.
            proxy.vanishAfter(0);
            await("B lost A").atMost(Duration.ofSeconds(30))
                    .until(() -> b.folder(id).peers().stream().noneMatch(Status.Peer::connected));
            long v1Bytes = a.folder(id).localBytes();
            writePlugin(onA, "22");
            await("A committed the update").atMost(SYNC)
                    .until(() -> a.folder(id).localBytes() == v1Bytes + FILES);

            // A comes back, and vanishes again when it has sent about half of its index.
            long budget = firstIndex / 2;
            proxy.heal();
            proxy.vanishAfter(budget);
            await("B received part of the set, then A vanished").atMost(SYNC)
                    .until(() -> proxy.vanished() && b.folder(id).needFiles() > 0);
            long partial = b.folder(id).needFiles();
            System.out.printf("A vanished after %d bytes: B holds %d of the %d records of the set%n", budget,
                    partial, FILES);
            assertTrue(partial < FILES, "B received the whole set before A vanished: " + partial);

            // Nothing of the set lands while its rest cannot arrive.
            await("B keeps the old plugin whole").during(HELD).atMost(HELD.plusMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> versions(onB).equals(List.of("1")) && !b.folder(id).inSync());

            proxy.heal();
            awaitConverged(id, FILES, SYNC, a, b);
            assertEquals(List.of("22"), versions(onB), "B has the whole new plugin");
            Trees.assertSame("A", onA, "B", onB);
            b.stop();
        }
        a.stop();
    }

    /** Writes every file of the plugin with {@code version} as its content. */
    private static void writePlugin(Path root, String version) throws IOException {
        Path dir = root.resolve(PLUGIN);
        Files.createDirectories(dir);
        for (int i = 0; i < FILES; i++) {
            Files.writeString(dir.resolve("f" + i + ".php"), version);
        }
    }

    /** The distinct contents of the plugin's files on disk; "missing" for one that is not there. */
    private static List<String> versions(Path root) throws IOException {
        Path dir = root.resolve(PLUGIN);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            Path f = dir.resolve("f" + i + ".php");
            String v = Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "missing";
            if (!seen.contains(v)) {
                seen.add(v);
            }
        }
        return seen;
    }
}
