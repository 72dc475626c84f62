package io.peersync.daemon.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What the daemon must remember across restarts: shared folders (with their secrets) and static peers.
 * Stored as JSON in {@code HOME/config.json}, mode 0600.
 */
public record DaemonConfig(List<FolderConfig> folders, List<String> peers) {

    public DaemonConfig {
        folders = List.copyOf(folders == null ? List.of() : folders);
        peers = List.copyOf(peers == null ? List.of() : peers);
    }

    public static DaemonConfig empty() {
        return new DaemonConfig(List.of(), List.of());
    }

    /**
     * One shared folder: its id, absolute path, the secret it was added with, its options, and whether the operator
     * paused it (a paused folder is neither scanned nor synced until resumed, across restarts too).
     */
    public record FolderConfig(String id, String path, String secret, FolderSettings settings, boolean paused) {
        public FolderConfig {
            settings = settings == null ? FolderSettings.DEFAULT : settings;
        }

        public FolderConfig(String id, String path, String secret, FolderSettings settings) {
            this(id, path, secret, settings, false);
        }

        public FolderConfig(String id, String path, String secret) {
            this(id, path, secret, FolderSettings.DEFAULT, false);
        }

        public FolderConfig withPaused(boolean p) {
            return new FolderConfig(id, path, secret, settings, p);
        }
    }

    public DaemonConfig withFolder(FolderConfig folder) {
        List<FolderConfig> copy = new ArrayList<>(folders);
        copy.removeIf(f -> f.id().equals(folder.id()));
        copy.add(folder);
        return new DaemonConfig(copy, peers);
    }

    public DaemonConfig withoutFolder(String id) {
        List<FolderConfig> copy = new ArrayList<>(folders);
        copy.removeIf(f -> f.id().equals(id));
        return new DaemonConfig(copy, peers);
    }

    public DaemonConfig withPeer(String address) {
        if (peers.contains(address)) {
            return this;
        }
        List<String> copy = new ArrayList<>(peers);
        copy.add(address);
        return new DaemonConfig(folders, copy);
    }
}
