package io.peersync.cli;

import java.nio.file.Path;
import java.util.Map;

/** Where a peersync home lives when {@code --home} is not given; the one place that decides it. */
public final class HomeDir {

    private HomeDir() {
    }

    /** {@code explicit} if given, else {@code $PEERSYNC_HOME}, else {@code $XDG_STATE_HOME/peersync}, else ~/.local/state/peersync. */
    public static Path resolve(Path explicit) {
        return resolve(explicit, System.getenv(), System.getProperty("user.home"));
    }

    static Path resolve(Path explicit, Map<String, String> env, String userHome) {
        if (explicit != null) {
            return explicit.toAbsolutePath().normalize();
        }
        String peersyncHome = env.get("PEERSYNC_HOME");
        if (peersyncHome != null && !peersyncHome.isBlank()) {
            return Path.of(peersyncHome).toAbsolutePath().normalize();
        }
        String xdgState = env.get("XDG_STATE_HOME");
        // The XDG spec says to ignore relative values.
        if (xdgState != null && Path.of(xdgState).isAbsolute()) {
            return Path.of(xdgState, "peersync").normalize();
        }
        return Path.of(userHome, ".local", "state", "peersync").toAbsolutePath().normalize();
    }
}
