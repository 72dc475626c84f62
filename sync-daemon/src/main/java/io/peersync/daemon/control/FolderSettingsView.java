package io.peersync.daemon.control;

/** A folder's options as they are now (null = the default). */
public record FolderSettingsView(String id, String path, String hook, int keepVersions, int keepDays, String owner,
                                 String group, String minFree) {
}
