package io.peersync.it;

import static io.peersync.it.Convergence.awaitConverged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two daemons that reach each other only through a {@link FaultProxy} that delays, stalls, flips bytes and cuts
 * connections mid-frame: the nodes converge to the same bytes and nothing corrupt lands. (TLS refuses a flipped
 * byte and the connection starts again; blocks are checked against their signed hashes.)
 * {@code -Dpeersync.proxy.seed=N} replays a run; {@code -Dpeersync.proxy.mib=N} sets the size of the large file
 * (16 MiB by default, for CI; {@code mvn -Pfaults} syncs 256 MiB).
 */
class FaultProxyIT {
    private static final Duration SYNC = Duration.ofMinutes(6);

    @RegisterExtension
    static final Workspace ws = new Workspace();

    @Test
    void aBadNetworkDelaysSyncButNothingCorruptLandsAndTheNodesConverge() throws Exception {
        long seed = Long.getLong("peersync.proxy.seed", System.nanoTime());
        DaemonProcess a = ws.start("proxy-a");
        Path onA = a.dir().resolve("site");
        Corpus.Summary corpus = Corpus.materialize(onA);
        long mib = Long.getLong("peersync.proxy.mib", 16);
        RandomFiles.Written big = RandomFiles.write(ws.path("staging/big.bin"), mib * 1024 * 1024, seed);
        RandomFiles.moveInto(big, onA.resolve("big.bin"));
        String secret = a.cliOk("secret", "new").stdout().strip();
        String id = a.cliOk("folder", "add", onA.toString(), "--secret", secret).stdout().strip();
        try (FaultProxy proxy = new FaultProxy(a.listen(), new FaultProxy.Rates(0.02, 0.002, 0.001, 0.001), seed)) {
            DaemonProcess b = ws.start("proxy-b", proxy.address());
            Path onB = b.dir().resolve("site");
            b.cliOk("folder", "add", onB.toString(), "--secret", secret);
            long started = System.nanoTime();
            awaitConverged(id, corpus.files() + 1, SYNC, a, b);
            long took = (System.nanoTime() - started) / 1_000_000;
            Trees.assertSame("A", onA, "B", onB);
            assertEquals(big.sha256(), Trees.sha256(onB.resolve("big.bin")));
            System.out.printf("through the fault proxy (seed %d): converged in %d ms; %s%n", seed, took, proxy);
            assertTrue(proxy.corruptions.get() + proxy.cuts.get() > 0, "the proxy did break something: " + proxy);
            b.stop();
        }
        a.stop();
    }
}
