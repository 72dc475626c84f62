package io.peersync.daemon.control;

import java.util.List;

/** A static or learned peer: its address, its node id once known, and what it is connected to. */
public record PeerView(String address, String node, boolean connected, boolean isStatic, List<String> folders) {
}
