package io.peersync.daemon.control;

/** A scan queued by {@code folder rescan}: the folder and what is scanned ("" for all of it). */
public record RescanView(String id, String path, String scanned) {
}
