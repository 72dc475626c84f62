package io.peersync.it;

import static io.peersync.it.Convergence.awaitConverged;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Daemons started without any peer address find each other by LAN discovery, here through the loopback
 * broadcast address 127.255.255.255 (Linux delivers it to every socket bound to the port, as a LAN broadcast
 * reaches every host). Only nodes that share a folder connect.
 */
class LanDiscoveryIT {
    private static final Duration SYNC = Duration.ofSeconds(60);

    @RegisterExtension
    static final Workspace ws = new Workspace();

    @Test
    void nodesWithoutPeerAddressesFindEachOtherAndSyncAndStrangersStayApart() throws Exception {
        String discovery = "127.255.255.255:" + Ports.freeUdp();
        DaemonProcess a = ws.startDiscovering("a", discovery);
        DaemonProcess b = ws.startDiscovering("b", discovery);
        DaemonProcess c = ws.startDiscovering("c", discovery);

        Path onA = a.dir().resolve("site");
        Files.createDirectories(onA.resolve("wp-content/plugins/hello"));
        Files.writeString(onA.resolve("wp-content/plugins/hello/hello.php"), "<?php // found on the LAN\n");
        Files.writeString(onA.resolve("index.php"), "<?php // index\n");
        String secret = a.cliOk("secret", "new").stdout().strip();
        String id = a.cliOk("folder", "add", onA.toString(), "--secret", secret).stdout().strip();
        // B joins read-only: every access level of a folder recognises the others' announcements.
        String readOnly = a.json("secret", "show", secret, "--json").path("readOnly").asText();
        Path onB = b.dir().resolve("site");
        b.cliOk("folder", "add", onB.toString(), "--secret", readOnly);
        Path onC = c.dir().resolve("other");
        Files.createDirectories(onC);
        Files.writeString(onC.resolve("private.txt"), "C's own folder\n");
        c.cliOk("folder", "add", onC.toString(), "--secret", c.cliOk("secret", "new").stdout().strip());

        awaitConverged(id, 2, SYNC, a, b);
        Trees.assertSame("A", onA, "B", onB);
        JsonNode bPeers = b.json("peer", "list", "--json");
        assertTrue(connectedAddresses(bPeers).contains(a.listen()), "B found A: " + bPeers);

        // C heard every announcement, and A and B heard C's, but C shares no folder with them.
        await("C stays a stranger").during(Duration.ofSeconds(3)).atMost(SYNC).until(() ->
                connectedAddresses(c.json("peer", "list", "--json")).isEmpty()
                        && !connectedAddresses(a.json("peer", "list", "--json")).contains(c.listen()));
        assertFalse(Files.exists(onC.resolve("index.php")), "nothing of A's folder reached C");
    }

    private static List<String> connectedAddresses(JsonNode peers) {
        List<String> out = new ArrayList<>();
        for (JsonNode peer : peers) {
            if (peer.path("connected").asBoolean()) {
                out.add(peer.path("address").asText());
            }
        }
        return out;
    }
}
