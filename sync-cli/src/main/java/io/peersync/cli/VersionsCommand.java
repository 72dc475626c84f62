package io.peersync.cli;

import io.peersync.cli.client.ControlClient;
import io.peersync.daemon.control.VersionView;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code peersync versions FOLDER PATH [--json]}: the archived versions of one file, newest first. */
@Command(name = "versions", description = "List the archived (replaced or deleted) versions of a file, newest first.")
final class VersionsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    HomeOption home;
    @Mixin
    FolderArg folder;
    @Parameters(index = "1", paramLabel = "PATH",
            description = "The file, relative to the folder (or an absolute path inside it).")
    String path;
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<VersionView> versions = ControlClient.forHome(home.resolve())
                .versions(folder.forDaemon(), path);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, versions);
        } else if (versions.isEmpty()) {
            out.println("No archived versions of " + path + ".");
            out.flush();
        } else {
            Table table = new Table("ARCHIVED AT", "SIZE");
            versions.forEach(v -> table.row(v.archivedAt(), io.peersync.daemon.config.Sizes.human(v.size())));
            table.print(out);
        }
        return 0;
    }
}
