package io.peersync.cli;

import io.peersync.protocol.FolderId;
import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** The FOLDER argument (id or path) of a command, first on its command line; a picocli mixin. */
final class FolderArg {
    @Parameters(index = "0", paramLabel = "FOLDER", description = "The folder id or the folder's path.")
    String folder;

    /** The folder as the daemon needs it: the daemon cannot know our working directory, so a path is made absolute. */
    String forDaemon() {
        return FolderId.looksLike(folder) ? folder : Path.of(folder).toAbsolutePath().normalize().toString();
    }
}
