package io.peersync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HomeDirTest {

    @Test
    void explicitHomeWinsAndIsMadeAbsolute() {
        Path resolved = HomeDir.resolve(Path.of("rel"), Map.of("PEERSYNC_HOME", "/env"), "/users/me");

        assertEquals(Path.of("rel").toAbsolutePath(), resolved);
    }

    @Test
    void peersyncHomeComesBeforeXdg() {
        assertEquals(Path.of("/env"),
                HomeDir.resolve(null, Map.of("PEERSYNC_HOME", "/env", "XDG_STATE_HOME", "/xdg"), "/users/me"));
    }

    @Test
    void xdgStateHomeIsUsedWhenAbsolute() {
        assertEquals(Path.of("/xdg/peersync"), HomeDir.resolve(null, Map.of("XDG_STATE_HOME", "/xdg"), "/users/me"));
        assertEquals(Path.of("/users/me/.local/state/peersync"),
                HomeDir.resolve(null, Map.of("XDG_STATE_HOME", "relative"), "/users/me"));
    }

    @Test
    void fallsBackToLocalStateInTheUsersHome() {
        assertEquals(Path.of("/users/me/.local/state/peersync"), HomeDir.resolve(null, Map.of(), "/users/me"));
    }
}
