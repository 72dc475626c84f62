package io.peersync.cli;

import io.peersync.cli.client.ControlClient;
import io.peersync.daemon.control.StatusView;
import io.peersync.daemon.health.FolderHealth;
import io.peersync.daemon.health.HealthReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peersync status [--json] [--watch]}. */
@Command(name = "status", description = "Per folder: state, progress and peers.")
final class StatusCommand implements Callable<Integer> {
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Spec
    CommandSpec spec;
    @Mixin
    HomeOption home;
    @Option(names = "--json", description = "Print the status as JSON (one line per update with --watch).")
    boolean json;
    @Option(names = "--watch", description = "Redraw every second until Ctrl-C.")
    boolean watch;

    @Option(names = "--wait-in-sync", description = "Wait until every folder has completed a sync and is in sync "
            + "with its peers, then exit 0 (for deploy scripts); exit 1 on time-out.")
    boolean waitInSync;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "With --wait-in-sync: how long to wait (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    /** How often --wait-in-sync asks the daemon. */
    private static final Duration POLL = Duration.ofMillis(250);

    /** How often --watch redraws, and after how many frames it stops (0: never); tests shorten both. */
    Duration interval = Duration.ofSeconds(1);
    int maxFrames;
    /** Whether output goes to a terminal; null: ask System.console() (tests set it). */
    Boolean terminal;

    @Override
    public Integer call() throws Exception {
        ControlClient client = ControlClient.forHome(home.resolve());
        PrintWriter out = spec.commandLine().getOut();
        if (waitInSync) {
            return waitInSync(client, out);
        }
        if (!watch) {
            print(out, client.status());
            return 0;
        }
        TransferProgress downloads = new TransferProgress();
        boolean onTerminal = terminal != null ? terminal : System.console() != null;
        for (int frame = 1; maxFrames <= 0 || frame <= maxFrames; frame++) {
            StatusView status = client.status();
            long now = System.nanoTime();
            if (json) {
                Json.printLine(out, status);
            } else {
                // On a terminal each frame replaces the last; into a pipe or a file, frames follow each other as
                // plain text without escape codes.
                out.print(onTerminal ? CLEAR_SCREEN : frame > 1 ? "\n" : "");
                out.print(StatusRenderer.render(status, f -> downloads.line(f, now)));
                if (onTerminal) {
                    out.println();
                    out.println("Updated every " + interval.toSeconds() + " s; press Ctrl-C to stop.");
                }
                out.flush();
            }
            if (maxFrames <= 0 || frame < maxFrames) {
                Thread.sleep(interval.toMillis());
            }
        }
        return 0;
    }

    private int waitInSync(ControlClient client, PrintWriter out) throws Exception {
        if (timeoutSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout must not be negative");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        while (true) {
            HealthReport health = client.health();
            String waiting = notInSync(health);
            if (waiting == null) {
                out.println("In sync: " + health.folders().size() + " folder" + (health.folders().size() == 1 ? "" : "s")
                        + ".");
                out.flush();
                return 0;
            }
            if (System.nanoTime() >= deadline) {
                throw new CliFailure("Not in sync after " + timeoutSeconds + " s: " + waiting);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Why the node is not in sync yet (one sentence), or null when every folder is. */
    static String notInSync(HealthReport health) {
        if (health.folders().isEmpty()) {
            return "this node shares no folder.";
        }
        for (FolderHealth f : health.folders()) {
            if (!f.inSync() || !f.synced()) {
                return "folder " + f.id() + ": " + (f.reason() != null ? f.reason() : "it is " + f.state() + ".");
            }
        }
        return null;
    }

    private void print(PrintWriter out, StatusView status) {
        if (json) {
            Json.print(out, status);
        } else {
            out.print(StatusRenderer.render(status));
            out.flush();
        }
    }
}
