package io.peersync.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a load balancer, Prometheus and a deploy script see of real daemons: {@code /health} 503 until a node that
 * joined empty is whole and 200 after, {@code /metrics} that promtool accepts, pause and resume, rescan, the event
 * stream, and {@code status --wait-in-sync}.
 */
class HealthIT {
    private static final Duration SYNC = Duration.ofSeconds(60);

    @RegisterExtension
    static final Workspace ws = new Workspace();

    @Test
    void healthMetricsPauseRescanEventsAndWaitInSync() throws Exception {
        HealthEndpoint healthA = new HealthEndpoint(Ports.free());
        HealthEndpoint healthB = new HealthEndpoint(Ports.free());
        DaemonProcess a = ws.start("a", healthA.option());
        HealthEndpoint.Answer none = healthA.get("/health");
        assertEquals(503, none.status(), "a node without folders serves nothing: " + none);
        assertEquals("This node shares no folder.", none.json().get("reason").asText());

        Path folderA = a.dir().resolve("folder");
        Files.createDirectories(folderA.resolve("plugins/hello"));
        Files.writeString(folderA.resolve("plugins/hello/hello.php"), "<?php // hello\n");
        Files.writeString(folderA.resolve("index.php"), "<?php // silence\n");
        String secret = a.cliOk("secret", "new").stdout().strip();
        String id = a.cliOk("folder", "add", folderA.toString(), "--secret", secret).stdout().strip();
        // A knows no peer at all: its own scan makes it whole.
        await("A healthy").atMost(SYNC).until(() -> healthA.health() == 200);
        assertEquals(200, healthA.get("/health/" + id).status());
        assertEquals(404, healthA.get("/health/NOSUCHFOLDERAAAAAAAAAAAAAAA").status());

        // B joins empty while A is away: it must stay out of the load balancer, however long that lasts.
        a.stop();
        DaemonProcess b = ws.start("b", healthB.option(), a.listen());
        Path folderB = b.dir().resolve("folder");
        b.cliOk("folder", "add", folderB.toString(), "--secret", secret);
        await("B reports its folder").atMost(SYNC).until(() -> healthB.get("/health").json().get("folders").size() == 1);
        await("B stays unfit while it has nothing").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                .until(() -> healthB.health() == 503);
        JsonNode unfit = healthB.get("/health").json();
        assertTrue(unfit.get("reason").asText().contains("has not completed a sync"), unfit.toString());
        CliResult timedOut = b.cli("status", "--wait-in-sync", "--timeout", "1");
        assertEquals(1, timedOut.exitCode(), timedOut.toString());
        assertTrue(timedOut.stderr().startsWith("Not in sync after 1 s: "), timedOut.toString());

        a.restart();
        await("B healthy once whole").atMost(SYNC).until(() -> healthB.health() == 200);
        Trees.assertSame("A", folderA, "B", folderB);
        CliResult waited = b.cli("status", "--wait-in-sync", "--timeout", "30");
        assertEquals(0, waited.exitCode(), waited.toString());

        // Metrics: valid for Prometheus, per folder and per peer.
        String metrics = healthB.get("/metrics").body();
        Path scraped = ws.path("metrics-b.txt");
        Files.writeString(scraped, metrics);
        Exec.Result promtool = Exec.run(Duration.ofSeconds(30), "sh", "-c", "promtool check metrics < " + scraped);
        assertEquals(0, promtool.exitCode(), promtool.toString());
        assertEquals(1.0, value(metrics, "peersync_folder_in_sync{folder=\"" + id + "\"}"));
        assertEquals(1.0, value(metrics, "peersync_folder_fit{folder=\"" + id + "\"}"));
        assertTrue(value(metrics, "peersync_folder_received_bytes_total{folder=\"" + id + "\"}") > 0, metrics);
        assertEquals(0.0, value(metrics, "peersync_folder_need_files{folder=\"" + id + "\"}"));
        String nodeA = a.status().node().id();
        assertEquals(1.0, value(metrics, "peersync_peer_connected{peer=\"" + nodeA + "\"}"));
        assertTrue(value(metrics, "peersync_peer_received_bytes_total{peer=\"" + nodeA + "\"}") > 0);
        assertTrue(metrics.contains("jvm_memory_used_bytes{"), "JVM metrics");
        assertTrue(metrics.contains("process_uptime_seconds "), "process metrics");
        String metricsA = healthA.get("/metrics").body();
        assertTrue(value(metricsA, "peersync_folder_sent_bytes_total{folder=\"" + id + "\"}") > 0, metricsA);

        // Rescan: queued on request, refused for a path outside the folder.
        double scans = value(metricsA, "peersync_folder_scan_seconds_count{folder=\"" + id + "\"}");
        a.cliOk("folder", "rescan", id);
        await("a rescan ran").atMost(SYNC).until(() -> value(healthA.get("/metrics").body(),
                "peersync_folder_scan_seconds_count{folder=\"" + id + "\"}") > scans);
        a.cliOk("folder", "rescan", folderA.toString(), "plugins/hello");
        CliResult outside = a.cli("folder", "rescan", id, "/etc/passwd");
        assertEquals(1, outside.exitCode(), outside.toString());
        assertTrue(outside.stderr().contains("is not a file inside the folder"), outside.toString());

        // Pause: B takes nothing, says so in status and health; resume: it catches up.
        b.cliOk("folder", "pause", id);
        await("B paused").atMost(SYNC).until(() -> b.folder(id).state().equals("paused"));
        await("B unfit while paused").atMost(SYNC).until(() -> healthB.health() == 503);
        Files.writeString(folderA.resolve("plugins/hello/while-paused.php"), "<?php // new\n");
        await("A took the new file").atMost(SYNC).until(() -> a.folder(id).globalFiles() == 3);
        await("B does not pull while paused").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                .until(() -> !Files.exists(folderB.resolve("plugins/hello/while-paused.php")));
        b.stop();
        b.restart();
        assertEquals("paused", b.folder(id).state(), "a pause outlives a restart");
        b.cliOk("folder", "resume", id);
        await("B caught up after resume").atMost(SYNC)
                .until(() -> Files.exists(folderB.resolve("plugins/hello/while-paused.php")) && healthB.health() == 200);

        // A folder in error is unfit at once, and fit again once what caused it recovered.
        b.cliOk("folder", "set", id, "--min-free", "100%");
        Files.writeString(folderA.resolve("plugins/hello/needs-room.php"), "<?php // no room for me on B\n");
        await("B unfit while it cannot pull").atMost(SYNC).until(() -> healthB.health() == 503);
        String reason = healthB.get("/health").json().get("reason").asText();
        assertTrue(reason.contains("not enough space"), reason);
        b.cliOk("folder", "set", id, "--min-free", "1%");
        await("B fit again once it has room").atMost(SYNC)
                .until(() -> Files.exists(folderB.resolve("plugins/hello/needs-room.php")) && healthB.health() == 200);
        assertTrue(value(healthB.get("/metrics").body(), "peersync_folder_errors_total{folder=\"" + id + "\"}") >= 1);

        // Events: folder states and the pause and resume, as JSON lines.
        List<String> lines = b.cliOk("events", "--once").stdout().lines().toList();
        List<String> types = new ArrayList<>();
        for (String line : lines) {
            types.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("type").asText());
        }
        assertTrue(types.contains("folderState"), lines.toString());
        assertTrue(types.contains("folderResumed"), lines.toString());
        assertTrue(types.contains("folderError"), lines.toString());
        assertTrue(types.contains("changeSetApplied") || lines.stream().anyMatch(l -> l.contains("\"fit\":true")),
                lines.toString());
        a.stop();
        b.stop();
    }

    /** The value of one sample line in Prometheus text, e.g. {@code name{label="x"}}. */
    static double value(String metrics, String sample) {
        Matcher m = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        assertTrue(m.find(), () -> "no sample " + sample + " in\n" + metrics);
        return Double.parseDouble(m.group(1));
    }
}
