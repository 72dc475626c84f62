package io.peersync.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --home DIR} option every command takes. */
final class HomeOption {

    @Option(names = "--home", paramLabel = "DIR",
            description = "State directory (default: $PEERSYNC_HOME, else $XDG_STATE_HOME/peersync, "
                    + "else ~/.local/state/peersync).")
    Path explicit;

    Path resolve() {
        return HomeDir.resolve(explicit);
    }
}
