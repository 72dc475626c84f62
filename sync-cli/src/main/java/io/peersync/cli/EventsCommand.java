package io.peersync.cli;

import io.peersync.cli.client.ControlClient;
import io.peersync.daemon.health.EventLog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peersync events [--since N] [--once]}: the daemon's events as JSON lines, following new ones. */
@Command(name = "events", description = "Print the daemon's events (folder states, change sets applied, conflicts, "
        + "errors) as JSON lines, one per event, and follow new ones until Ctrl-C.")
final class EventsCommand implements Callable<Integer> {
    /** How long one request waits for a new event before asking again. */
    private static final long WAIT_SECONDS = 30;

    @Spec
    CommandSpec spec;
    @Mixin
    HomeOption home;
    @Option(names = "--since", paramLabel = "N", defaultValue = "0",
            description = "Only events numbered above N (default: all the daemon still keeps, up to 1000).")
    long since;
    @Option(names = "--once", description = "Print the events there are now and exit instead of following.")
    boolean once;

    @Override
    public Integer call() throws Exception {
        ControlClient client = ControlClient.forHome(home.resolve());
        PrintWriter out = spec.commandLine().getOut();
        long after = since;
        while (true) {
            EventLog.Page page = client.events(after, once ? 0 : WAIT_SECONDS);
            if (page.missed()) {
                spec.commandLine().getErr().println("Some events were dropped before they could be read.");
                spec.commandLine().getErr().flush();
            }
            page.events().forEach(e -> Json.printLine(out, e));
            after = page.last();
            if (once && page.events().size() < 500) {
                return 0;
            }
        }
    }
}
