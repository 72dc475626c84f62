package io.peersync.daemon.control;

/** What {@code folder revert} did: the folder and how many locally changed paths it put back. */
public record RevertView(String id, String path, int reverted) {
}
