package io.peersync.cli;

import io.peersync.cli.client.ControlClient;
import io.peersync.daemon.control.StatusView;
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

    /** How often --watch redraws, and after how many frames it stops (0: never); tests shorten both. */
    Duration interval = Duration.ofSeconds(1);
    int maxFrames;

    @Override
    public Integer call() throws Exception {
        ControlClient client = ControlClient.forHome(home.resolve());
        PrintWriter out = spec.commandLine().getOut();
        if (!watch) {
            print(out, client.status());
            return 0;
        }
        for (int frame = 1; maxFrames <= 0 || frame <= maxFrames; frame++) {
            StatusView status = client.status();
            if (json) {
                Json.printLine(out, status);
            } else {
                out.print(CLEAR_SCREEN);
                out.print(StatusRenderer.render(status));
                out.println();
                out.println("Updated every " + interval.toSeconds() + " s; press Ctrl-C to stop.");
                out.flush();
            }
            if (maxFrames <= 0 || frame < maxFrames) {
                Thread.sleep(interval.toMillis());
            }
        }
        return 0;
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
