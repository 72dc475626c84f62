package io.peersync.it;

import static io.peersync.it.Convergence.awaitConverged;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
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
    private static final int FILES = 1500;
    private static final Duration SYNC = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
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
        Path v1 = pluginZip(1);
        Path v2 = pluginZip(2);
        try (MariaDb db = MariaDb.start(Files.createDirectories(ws.path("mariadb")));
             WordPressSite siteA = WordPressSite.create(ws.path("web-a"), ws.path("web-a/wp-content"), db);
             WordPressSite siteB = WordPressSite.create(ws.path("web-b"), ws.path("web-b/wp-content"), db)) {
            Files.createDirectories(siteA.content().resolve("plugins"));
            Exec.ok(Duration.ofMinutes(1), "cp", "-a", WordPressSite.CORE.resolve("wp-content/themes").toString(),
                    siteA.content().toString());
            siteA.driver("install", siteA.url());
            siteA.driver("plugin-install", v1.toString());
            siteA.driver("activate", "big/big.php");

            DaemonProcess a = ws.start("node-a");
            DaemonProcess b = ws.start("node-b", a.listen());
            String secret = a.cliOk("secret", "new").stdout().strip();
            String id = a.cliOk("folder", "add", siteA.content().toString(), "--secret", secret,
                    "--preset", "wordpress").stdout().strip();
            b.cliOk("folder", "add", siteB.content().toString(), "--secret", secret);
            int files = syncedFiles(siteA.content());
            awaitConverged(id, files, SYNC, a, b);

            Reader plain = new Reader(siteB, siteB.serve(ws.path("web-b/php-plain.log"), false));
            String production = siteB.serve(ws.path("web-b/php-opcache.log"), true);
            Reader opcache = new Reader(siteB, production);
            b.cliOk("folder", "set", id, "--hook", "php -r 'exit(file_get_contents(\"" + production
                    + "/opcache-reset.php\") === \"reset\" ? 0 : 1);'");
            plain.start();
            opcache.start();
            JsonNode upgrade;
            long setsBefore;
            try {
                await("B serves plugin version 1").atMost(SYNC)
                        .until(() -> plain.lastWhole() == 1 && opcache.lastWhole() == 1);
                setsBefore = setsOfAtLeast(b, id, FILES - 1);
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
            for (Reader r : List.of(plain, opcache)) {
                Response firstV2 = r.responses.stream().filter(x -> x.whole() == 2).findFirst().orElseThrow();
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
            assertTrue(plain.mixed().size() <= 1, "more than one request on B (no opcache) saw a mix: " + plain.mixed());
            assertEquals(setsBefore + 1, setsOfAtLeast(b, id, FILES - 1), "the upgrade reached B as one change set: "
                    + b.logLines("applied a change set of"));
            a.stop();
            b.stop();
        }
    }

    /** Regular files in a wp-content that sync (not its own .peersync/, not the ignored upgrade/). */
    private static int syncedFiles(Path content) throws IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(content)) {
            return (int) all.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .map(content::relativize)
                    .filter(p -> !p.startsWith(".peersync") && !p.startsWith("upgrade")).count();
        }
    }

    /** How many change sets of at least {@code size} entries B applied to the folder. */
    private static long setsOfAtLeast(DaemonProcess node, String id, int size) {
        Pattern p = Pattern.compile("applied a change set of (\\d+) entries");
        return node.logLines("applied a change set of").stream().filter(l -> l.contains(id)).map(p::matcher)
                .filter(Matcher::find).filter(m -> Integer.parseInt(m.group(1)) >= size).count();
    }

    /**
     * The plugin "big", version {@code v}, as a zip like wordpress.org's: {@code big/big.php} requires its
     * {@code FILES - 1} other files, each of which records the version it belongs to.
     */
    private static Path pluginZip(int v) throws IOException {
        Path zip = ws.path("big-" + v + ".zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            StringBuilder main = new StringBuilder("<?php\n/**\n * Plugin Name: Big\n * Version: " + v
                    + ".0\n */\ndefine('BIG_VERSION', " + v + ");\n");
            for (int i = 1; i < FILES; i++) {
                String name = String.format("includes/part-%04d.php", i);
                main.append("require __DIR__ . '/").append(name).append("';\n");
                // Some bulk, as real plugin files have: about 8 KB each.
                String body = "<?php\n// part " + i + " of version " + v + "\n" + ("// " + "x".repeat(60) + "\n")
                        .repeat(128) + "$GLOBALS['big_loaded'][] = " + v + ";\n";
                put(z, "big/" + name, body);
            }
            put(z, "big/big.php", main.toString());
        }
        return zip;
    }

    private static void put(ZipOutputStream z, String name, String text) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(text.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }

    /** One answer of B's reader page. */
    record Response(double epochSeconds, int status, String body, int whole) {
    }

    /** Requests B's reader page in a loop and classifies every answer. */
    private static final class Reader extends Thread {
        final List<Response> responses = new CopyOnWriteArrayList<>();
        private final WordPressSite site;
        private final String base;
        private volatile boolean stop;

        Reader(WordPressSite site, String base) {
            super("wordpress-reader " + base);
            this.site = site;
            this.base = base;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!stop) {
                double at = System.currentTimeMillis() / 1000.0;
                try {
                    HttpResponse<String> r = site.get(base, "/reader.php");
                    responses.add(new Response(at, r.statusCode(), r.body(), whole(r)));
                } catch (IOException e) {
                    responses.add(new Response(at, -1, e.toString(), 0));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** The version served when the answer is one whole version of the plugin, else 0. */
        private static int whole(HttpResponse<String> r) {
            if (r.statusCode() != 200) {
                return 0;
            }
            try {
                JsonNode j = JSON.readTree(r.body());
                if (!j.path("active").asBoolean() || !j.path("main").isInt()) {
                    return 0;
                }
                int v = j.get("main").asInt();
                Map<String, Integer> loaded = new TreeMap<>();
                j.path("loaded").fields().forEachRemaining(e -> loaded.put(e.getKey(), e.getValue().asInt()));
                return loaded.equals(Map.of(String.valueOf(v), FILES - 1)) ? v : 0;
            } catch (IOException e) {
                return 0;
            }
        }

        int lastWhole() {
            return responses.isEmpty() ? 0 : responses.get(responses.size() - 1).whole();
        }

        /** Answers that loaded the whole plugin, but files of both versions. */
        List<String> mixed() {
            return bad().stream().filter(b -> b.matches("200 \\{\"main\":\\d+,\"loaded\":\\{\"[12]\":\\d+,\"[12]\":\\d+\\}.*"))
                    .toList();
        }

        List<String> bad() {
            List<String> out = new ArrayList<>();
            for (Response r : responses) {
                if (r.whole() == 0) {
                    out.add(r.status() + " " + r.body().substring(0, Math.min(300, r.body().length())));
                }
            }
            return out;
        }

        void finish() throws InterruptedException {
            stop = true;
            join(60_000);
        }
    }
}
