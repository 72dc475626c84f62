package io.peersync.daemon.control;

/** A shared folder as the CLI lists it. */
public record FolderView(String id, String path, String access) {
}
