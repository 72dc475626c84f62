package io.peersync.it;

import static io.peersync.it.Convergence.awaitConverged;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real WordPress cluster on loopback: Debian's WordPress on one MariaDB, a PHP server per node, HAProxy in front
 * checking each node's peersync {@code /health}, and wp-content synced by peersync.
 * <ol>
 * <li>WordPress's own {@code Plugin_Upgrader} (Debian 12's 6.1: it deletes the old plugin directory and copies the
 * new one file by file) replaces a 1,500-file plugin on node A. Node B, through HAProxy and directly, only ever serves
 * the whole old version or the whole new one: never a PHP fatal or a missing plugin. With PHP as production runs it
 * (opcache, {@code validate_timestamps=0}), the after-sync hook's opcache reset makes B serve the new code as soon as
 * the set lands. Without opcache, a request that is loading the plugin's files at the very instant the new directory
 * is swapped in reads the files before that instant from the old version and the rest from the new: one such request
 * per update is the floor for any file sync, and more than one means the update did not land at one instant.</li>
 * <li>A third node C joins with an empty wp-content and its web server already up: HAProxy keeps it out until its
 * {@code /health} says it is whole, then sends it traffic, and no request through HAProxy gets a page without the
 * plugin.</li>
 * </ol>
 */
class WordPressClusterIT {
    private static final int FILES = BigPlugin.FILES;
    private static final Duration SYNC = Duration.ofSeconds(120);
    /**
     * The upgrader pauses this long between deleting the old plugin and copying the new one, as on a slow disk: the
     * whole replacement then takes over a second, and the plugin is missing on A meanwhile.
     */
    private static final int PAUSE_AFTER_DELETE_MS = 400;

    @RegisterExtension
    static final Workspace ws = new Workspace();

    @Test
    void pluginUpdatesAndAJoiningNodeNeverServeAHalfPluginThroughHaProxy() throws Exception {
        assumeTrue(MariaDb.available() && WordPressSite.available() && HaProxy.available(),
                "needs Debian's wordpress, php-cli, php-mysql, mariadb-server and haproxy (.ci/run installs them)");
        Path v1 = BigPlugin.zip(ws.dir(), 1);
        Path v2 = BigPlugin.zip(ws.dir(), 2);
        HealthEndpoint healthA = new HealthEndpoint(Ports.free());
        HealthEndpoint healthB = new HealthEndpoint(Ports.free());
        HealthEndpoint healthC = new HealthEndpoint(Ports.free());
        try (MariaDb db = MariaDb.start(Files.createDirectories(ws.path("mariadb")));
             WordPressSite siteA = WordPressSite.create(ws.path("web-a"), ws.path("web-a/wp-content"), db);
             WordPressSite siteB = WordPressSite.create(ws.path("web-b"), ws.path("web-b/wp-content"), db);
             WordPressSite siteC = WordPressSite.create(ws.path("web-c"), ws.path("web-c/wp-content"), db)) {
            Files.createDirectories(siteA.content().resolve("plugins"));
            Exec.ok(Duration.ofMinutes(1), "cp", "-a", WordPressSite.CORE.resolve("wp-content/themes").toString(),
                    siteA.content().toString());
            siteA.driver("install", siteA.url());
            siteA.driver("plugin-install", v1.toString());
            siteA.driver("activate", BigPlugin.MAIN);

            DaemonProcess a = ws.start("node-a", healthA.option());
            DaemonProcess b = ws.start("node-b", healthB.option(), a.listen());
            String secret = a.cliOk("secret", "new").stdout().strip();
            String id = a.cliOk("folder", "add", siteA.content().toString(), "--secret", secret,
                    "--preset", "wordpress").stdout().strip();
            b.cliOk("folder", "add", siteB.content().toString(), "--secret", secret);
            int files = BigPlugin.syncedFiles(siteA.content());
            awaitConverged(id, files, SYNC, a, b);

            String webA = siteA.serve(ws.path("web-a/php.log"), false);
            PluginReader plainB = new PluginReader(siteB.serve(ws.path("web-b/php-plain.log"), false));
            String productionB = siteB.serve(ws.path("web-b/php-opcache.log"), true);
            PluginReader opcacheB = new PluginReader(productionB);
            String productionC = siteC.serve(ws.path("web-c/php-opcache.log"), true);
            b.cliOk("folder", "set", id, "--hook", opcacheReset(productionB));
            try (HaProxy lb = HaProxy.start(ws.path("haproxy"), List.of(
                    new HaProxy.Server("a", port(webA), healthA.port()),
                    new HaProxy.Server("b", port(productionB), healthB.port()),
                    new HaProxy.Server("c", port(productionC), healthC.port())))) {
                await("HAProxy: a and b up, c down").atMost(SYNC).until(() -> lb.states().get("a").equals("UP")
                        && lb.states().get("b").equals("UP") && lb.states().get("c").startsWith("DOWN"));

                // 1. The upgrade on A, read on B directly (with and without opcache) and through HAProxy.
                PluginReader viaLb = new PluginReader(lb.url());
                JsonNode upgrade;
                long setsBefore;
                plainB.start();
                opcacheB.start();
                viaLb.start();
                try {
                    await("B serves plugin version 1").atMost(SYNC).until(() -> plainB.lastWhole() == 1
                            && opcacheB.lastWhole() == 1 && viaLb.lastWholeFrom("b") == 1);
                    setsBefore = BigPlugin.setsOfAtLeast(b, id, FILES - 1);
                    upgrade = siteA.driver("plugin-install", v2.toString(), String.valueOf(PAUSE_AFTER_DELETE_MS));
                    await("B serves plugin version 2").atMost(SYNC).until(() -> plainB.lastWhole() == 2
                            && opcacheB.lastWhole() == 2 && viaLb.lastWholeFrom("b") == 2);
                    int seen = plainB.responses.size() + opcacheB.responses.size();
                    await("B keeps serving version 2").atMost(SYNC)
                            .until(() -> plainB.responses.size() + opcacheB.responses.size() > seen + 20);
                } finally {
                    plainB.finish();
                    opcacheB.finish();
                    viaLb.finish();
                }
                awaitConverged(id, files, SYNC, a, b);
                Trees.assertSame("A", siteA.content().resolve("plugins/big"), "B",
                        siteB.content().resolve("plugins/big"));
                report(upgrade, plainB, opcacheB, viaLb);
                assertEquals(List.of(), opcacheB.bad(), "responses on B (opcache) that were not one whole version");
                assertEquals(plainB.mixed(), plainB.bad(), "responses on B (no opcache) with a fatal or missing plugin");
                assertTrue(plainB.mixed().size() <= 1,
                        "more than one request on B (no opcache) saw a mix: " + plainB.mixed());
                assertEquals(List.of(), servedBy(viaLb, "b").bad(),
                        "responses from B through HAProxy that were not one whole version");
                assertEquals(setsBefore + 1, BigPlugin.setsOfAtLeast(b, id, FILES - 1),
                        "the upgrade reached B as one change set: " + b.logLines("applied a change set of"));

                // 2. C joins empty, its web server already up; HAProxy must keep it out until it is whole.
                PluginReader joining = new PluginReader(lb.url());
                joining.start();
                AtomicReference<Double> firstHealthyC = new AtomicReference<>();
                DaemonProcess c;
                try {
                    c = ws.start("node-c", healthC.option(), a.listen());
                    c.cliOk("folder", "add", siteC.content().toString(), "--secret", secret);
                    await("C whole and healthy").atMost(SYNC).pollInterval(Duration.ofMillis(50)).until(() -> {
                        boolean healthy = healthC.health() == 200;
                        if (healthy) {
                            firstHealthyC.compareAndSet(null, System.currentTimeMillis() / 1000.0);
                        }
                        return healthy;
                    });
                    await("HAProxy sends C traffic").atMost(SYNC).until(() -> servedBy(joining, "c").responses.size()
                            >= 20);
                } finally {
                    joining.finish();
                }
                Trees.assertSame("A", siteA.content().resolve("plugins/big"), "C",
                        siteC.content().resolve("plugins/big"));
                List<PluginReader.Response> fromC = servedBy(joining, "c").responses;
                System.out.printf("C: healthy at %.2f; first request through HAProxy at %.2f; %d of %d requests "
                                + "while joining went to C%n", firstHealthyC.get(), fromC.get(0).epochSeconds(),
                        fromC.size(), joining.responses.size());
                assertEquals(List.of(), joining.bad(), "responses through HAProxy while C joined");
                assertTrue(fromC.get(0).epochSeconds() >= firstHealthyC.get() - 0.1,
                        "HAProxy sent C a request before its /health said 200");
                a.stop();
                b.stop();
                c.stop();
            }
        }
    }

    /** The after-sync hook that resets the opcache of the PHP server at {@code base}, and fails if it cannot. */
    private static String opcacheReset(String base) {
        return "php -r 'exit(file_get_contents(\"" + base + "/opcache-reset.php\") === \"reset\" ? 0 : 1);'";
    }

    private static int port(String base) {
        return Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
    }

    /** The answers of {@code reader} that {@code node} gave, as a reader of their own for its classifications. */
    private static PluginReader servedBy(PluginReader reader, String node) {
        PluginReader only = new PluginReader("(" + node + ")");
        reader.responses.stream().filter(r -> r.servedBy().equals(node)).forEach(only.responses::add);
        return only;
    }

    private static void report(JsonNode upgrade, PluginReader plain, PluginReader opcache, PluginReader viaLb) {
        double start = upgrade.get("start").asDouble();
        System.out.printf("WordPress %s Plugin_Upgrader replaced a %d-file plugin on A in %.2f s%n",
                upgrade.get("wp").asText(), FILES, upgrade.get("end").asDouble() - start);
        List<String> lines = new ArrayList<>();
        for (PluginReader r : List.of(plain, opcache, servedBy(viaLb, "b"))) {
            PluginReader.Response firstV2 = r.responses.stream().filter(x -> x.whole() == 2).findFirst().orElseThrow();
            assertTrue(r.responses.stream().anyMatch(x -> x.whole() == 1), "B served version 1 before");
            lines.add(String.format("B %s: version 2 whole %.2f s after the upgrader started; %d requests, %d mixed,"
                            + " %d other bad", r == plain ? "without opcache" : r == opcache
                            ? "with opcache (reset by the hook)" : "through HAProxy (opcache)",
                    firstV2.epochSeconds() - start, r.responses.size(), r.mixed().size(),
                    r.bad().size() - r.mixed().size()));
        }
        lines.add(String.format("A through HAProxy during the upgrade (WordPress's own window on the node it "
                + "writes): %d requests, %d bad", servedBy(viaLb, "a").responses.size(), servedBy(viaLb, "a")
                .bad().size()));
        lines.forEach(System.out::println);
    }
}
