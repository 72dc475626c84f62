package io.peersync.daemon.lifecycle;

import sun.misc.Signal;

/** Turns SIGTERM and SIGINT into an orderly stop, so the daemon exits 0 after closing the index. */
final class Signals {
    private Signals() {
    }

    @SuppressWarnings("removal")
    static void onTermination(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> action.run());
        }
    }
}
