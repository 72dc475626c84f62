package io.peersync.cli;

import io.peersync.protocol.FolderId;
import java.nio.file.Path;

/** A FOLDER argument (id or path) as the daemon needs it: the daemon cannot know our working directory. */
final class FolderArg {

    private FolderArg() {
    }

    static String forDaemon(String folder) {
        return FolderId.looksLike(folder) ? folder : Path.of(folder).toAbsolutePath().normalize().toString();
    }
}
