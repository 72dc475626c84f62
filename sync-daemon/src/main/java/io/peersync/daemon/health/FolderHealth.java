package io.peersync.daemon.health;

/**
 * Whether one folder is fit to serve, and if not, why (one sentence). {@code synced}: it completed a sync since it
 * was added or since the daemon started; {@code behindSeconds}: how long it has been out of sync, 0 when in sync.
 */
public record FolderHealth(String id, String path, boolean fit, String state, boolean inSync, boolean synced,
                           long behindSeconds, String reason) {
}
