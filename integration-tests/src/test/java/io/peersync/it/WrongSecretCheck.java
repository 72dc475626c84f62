package io.peersync.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Checks that a node holding the wrong secret for a folder gets nothing of it, and records what it is told. */
final class WrongSecretCheck {
    private static final Duration CONNECTS = Duration.ofSeconds(60);

    private WrongSecretCheck() {
    }

    /**
     * Waits until {@code node} is connected to {@code peer}, then for {@code window} asserts that its folder
     * stays empty and its status shows no files; prints both sides' view for the record.
     */
    static void receivesNothing(DaemonProcess node, DaemonProcess peer, String folderId, Path folder, Duration window) {
        boolean connected;
        try {
            await(node.name() + " connected to " + peer.name()).atMost(CONNECTS).pollInterval(Duration.ofSeconds(1))
                    .until(() -> connectedTo(node.json("peer", "list", "--json"), peer.listen()));
            connected = true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            connected = false;
        }
        System.out.println(node.name() + " connected to " + peer.name() + " at node level: " + connected);
        await(node.name() + " receiving nothing of " + folderId).during(window).atMost(window.plusSeconds(30))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    Map<String, Trees.Entry> tree = Trees.snapshot(folder);
                    assertEquals(Map.of(), tree, "what arrived in " + folder);
                    Status.Folder status = node.folder(folderId);
                    assertEquals(0, status.globalFiles(), () -> "globalFiles on " + node.name() + ": "
                            + status.summary());
                    assertEquals(0, status.localFiles(), () -> "localFiles on " + node.name() + ": "
                            + status.summary());
                });
        Status.Folder status = node.folder(folderId);
        System.out.println("record: " + node.name() + " status of " + folderId + ": " + status.summary());
        JsonNode peers = node.json("peer", "list", "--json");
        System.out.println("record: " + node.name() + " peer list: " + peers);
        for (JsonNode p : peers) {
            assertEquals(peer.listen(), p.path("address").asText(), node.name() + " learned another node's address "
                    + "although it proved no folder: " + peers);
        }
        String nodeId = node.status().node().id();
        System.out.println("record: " + peer.name() + " peer list: " + peer.json("peer", "list", "--json"));
        System.out.println("record: " + peer.name() + " log lines about " + Status.shortId(nodeId) + ": "
                + peer.logLines(Status.shortId(nodeId)));
        System.out.println("record: " + node.name() + " log lines about the folder: "
                + node.logLines(folderId.substring(0, 8)));
    }

    private static boolean connectedTo(JsonNode peers, String address) {
        for (JsonNode p : peers) {
            if (address.equals(p.path("address").asText()) && p.path("connected").asBoolean()) {
                return true;
            }
        }
        return false;
    }
}
