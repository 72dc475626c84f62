package io.peersync.cli;

import io.peersync.cli.client.ControlClient;
import io.peersync.daemon.control.VersionView;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code peersync restore FOLDER PATH [--at TIME]}: puts an archived version of a file back. */
@Command(name = "restore", description = "Put back an archived version of a file (the current one is archived "
        + "first); it syncs like any local change.")
final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    HomeOption home;
    @Mixin
    FolderArg folder;
    @Parameters(index = "1", paramLabel = "PATH",
            description = "The file, relative to the folder (or an absolute path inside it).")
    String path;
    @Option(names = "--at", paramLabel = "TIME", converter = Time.class,
            description = "Restore the newest version archived at or before TIME: ISO-8601 like "
                    + "2026-11-28T13:05:00Z, or yyyyMMdd-HHmmss in UTC (default: the newest version).")
    Instant at;

    @Override
    public Integer call() throws Exception {
        VersionView restored = ControlClient.forHome(home.resolve())
                .restore(folder.forDaemon(), path, at == null ? null : at.toString());
        PrintWriter out = spec.commandLine().getOut();
        out.println("Restored " + restored.path() + " to the version archived at " + restored.archivedAt() + " ("
                + io.peersync.daemon.config.Sizes.human(restored.size()) + ").");
        out.flush();
        return 0;
    }

    /** Parses {@code --at}; a bad time is a usage error. */
    static final class Time implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return VersionView.parseTime(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
