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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WordPress's own {@code Plugin_Upgrader} (Debian 12's WordPress 6.1: it deletes the old plugin directory and copies
 * the new one file by file) replaces a 1,500-file plugin on node A of a real two-node site on MariaDB, while readers
 * on node B request a page that boots WordPress and so loads every file of the active plugin. B must only ever
 * serve the whole old version or the whole new one: never a PHP fatal or a missing plugin, and, with PHP as
 * production runs it (opcache, {@code validate_timestamps=0}, reset by the after-sync hook), never a mix. Without
 * opcache, a request that is loading the plugin's files at the very instant the new directory is swapped in reads
 * the files before that instant from the old version and the rest from the new: one such request per update is
 * the floor for any file sync, and more than one means the update did not land at one instant.
 */
class WordPressUpgraderIT {
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
    void pluginUpgraderReplacingALargePluginNeverShowsAMixOnAPeer() throws Exception {
        assumeTrue(MariaDb.available() && WordPressSite.available(),
                "needs Debian's wordpress, php-cli, php-mysql and mariadb-server (.ci/run installs them)");
        Path v1 = BigPlugin.zip(ws.dir(), 1);
        Path v2 = BigPlugin.zip(ws.dir(), 2);
        try (MariaDb db = MariaDb.start(Files.createDirectories(ws.path("mariadb")));
             WordPressSite siteA = WordPressSite.create(ws.path("web-a"), ws.path("web-a/wp-content"), db);
             WordPressSite siteB = WordPressSite.create(ws.path("web-b"), ws.path("web-b/wp-content"), db)) {
            Files.createDirectories(siteA.content().resolve("plugins"));
            Exec.ok(Duration.ofMinutes(1), "cp", "-a", WordPressSite.CORE.resolve("wp-content/themes").toString(),
                    siteA.content().toString());
            siteA.driver("install", siteA.url());
            siteA.driver("plugin-install", v1.toString());
            siteA.driver("activate", BigPlugin.MAIN);

            DaemonProcess a = ws.start("node-a");
            DaemonProcess b = ws.start("node-b", a.listen());
            String secret = a.cliOk("secret", "new").stdout().strip();
            String id = a.cliOk("folder", "add", siteA.content().toString(), "--secret", secret,
                    "--preset", "wordpress").stdout().strip();
            b.cliOk("folder", "add", siteB.content().toString(), "--secret", secret);
            int files = BigPlugin.syncedFiles(siteA.content());
            awaitConverged(id, files, SYNC, a, b);

            PluginReader plain = new PluginReader(siteB.serve(ws.path("web-b/php-plain.log"), false));
            String production = siteB.serve(ws.path("web-b/php-opcache.log"), true);
            PluginReader opcache = new PluginReader(production);
            b.cliOk("folder", "set", id, "--hook", "php -r 'exit(file_get_contents(\"" + production
                    + "/opcache-reset.php\") === \"reset\" ? 0 : 1);'");
            plain.start();
            opcache.start();
            JsonNode upgrade;
            long setsBefore;
            try {
                await("B serves plugin version 1").atMost(SYNC)
                        .until(() -> plain.lastWhole() == 1 && opcache.lastWhole() == 1);
                setsBefore = BigPlugin.setsOfAtLeast(b, id, FILES - 1);
                upgrade = siteA.driver("plugin-install", v2.toString(), String.valueOf(PAUSE_AFTER_DELETE_MS));
                await("B serves plugin version 2").atMost(SYNC)
                        .until(() -> plain.lastWhole() == 2 && opcache.lastWhole() == 2);
                int seen = plain.responses.size() + opcache.responses.size();
                await("B keeps serving version 2").atMost(SYNC)
                        .until(() -> plain.responses.size() + opcache.responses.size() > seen + 20);
            } finally {
                plain.finish();
                opcache.finish();
            }
            awaitConverged(id, files, SYNC, a, b);
            Trees.assertSame("A", siteA.content().resolve("plugins/big"), "B", siteB.content().resolve("plugins/big"));

            double upgradeStart = upgrade.get("start").asDouble();
            double upgradeSeconds = upgrade.get("end").asDouble() - upgradeStart;
            System.out.printf("WordPress %s Plugin_Upgrader replaced a %d-file plugin on A in %.2f s%n",
                    upgrade.get("wp").asText(), FILES, upgradeSeconds);
            for (PluginReader r : List.of(plain, opcache)) {
                PluginReader.Response firstV2 = r.responses.stream().filter(x -> x.whole() == 2).findFirst()
                        .orElseThrow();
                System.out.printf("B %s: version 2 whole %.2f s after the upgrader started; %d requests, %d mixed, "
                                + "%d other bad%n", r == plain ? "without opcache" : "with opcache (reset by the hook)",
                        firstV2.epochSeconds() - upgradeStart, r.responses.size(), r.mixed().size(),
                        r.bad().size() - r.mixed().size());
                assertTrue(r.responses.stream().anyMatch(x -> x.whole() == 1), "B served version 1 before");
            }
            for (String line : b.logLines("applied a change set of")) {
                System.out.println("B: " + line);
            }
            assertEquals(List.of(), opcache.bad(), "responses on B (opcache) that were not one whole version");
            assertEquals(plain.mixed(), plain.bad(), "responses on B (no opcache) with a fatal or a missing plugin");
            assertTrue(plain.mixed().size() <= 1,
                    "more than one request on B (no opcache) saw a mix: " + plain.mixed());
            assertEquals(setsBefore + 1, BigPlugin.setsOfAtLeast(b, id, FILES - 1),
                    "the upgrade reached B as one change set: " + b.logLines("applied a change set of"));
            a.stop();
            b.stop();
        }
    }
}
