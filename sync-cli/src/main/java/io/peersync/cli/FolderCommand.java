package io.peersync.cli;

import io.peersync.cli.client.ControlClient;
import io.peersync.daemon.control.FolderView;
import io.peersync.protocol.FolderId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code peersync folder}: the folders the daemon shares. */
@Command(name = "folder", description = "Share, list and stop sharing folders.",
        subcommands = {FolderCommand.Add.class, FolderCommand.ListFolders.class, FolderCommand.Remove.class,
                FolderCommand.Revert.class, FolderCommand.Set.class, FolderCommand.Rescan.class,
                FolderCommand.Pause.class, FolderCommand.Resume.class})
final class FolderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw Main.missingSubcommand(spec);
    }

    /** {@code folder add DIR --secret S [--preset NAME]}. */
    @Command(name = "add", description = "Share DIR (created if missing) under a secret; prints the folder id.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        HomeOption home;
        @Parameters(paramLabel = "DIR", description = "The directory to share.")
        Path dir;
        @Option(names = "--secret", required = true, paramLabel = "SECRET",
                description = "The folder's secret (from 'peersync secret new' or another node).")
        String secret;
        @Option(names = "--preset", paramLabel = "NAME",
                description = "Ignore patterns for a known kind of tree: wordpress.")
        String preset;

        @Override
        public Integer call() throws Exception {
            String absolute = dir.toAbsolutePath().normalize().toString();
            FolderView folder = ControlClient.forHome(home.resolve()).addFolder(absolute, secret, preset);
            PrintWriter out = spec.commandLine().getOut();
            out.println(folder.id());
            out.flush();
            return 0;
        }
    }

    /** {@code folder list [--json]}. */
    @Command(name = "list", description = "List the shared folders.")
    static final class ListFolders implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        HomeOption home;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            List<FolderView> folders = ControlClient.forHome(home.resolve()).folders();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, folders);
            } else if (folders.isEmpty()) {
                out.println("No shared folders (add one with: peersync folder add DIR --secret SECRET).");
                out.flush();
            } else {
                Table table = new Table("FOLDER", "ACCESS", "PATH");
                folders.forEach(f -> table.row(f.id(), f.access(), f.path()));
                table.print(out);
            }
            return 0;
        }
    }

    /** {@code folder remove FOLDER}. */
    @Command(name = "remove", description = "Stop sharing a folder; its files stay where they are.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        HomeOption home;
        @Mixin
        FolderArg folder;

        @Override
        public Integer call() throws Exception {
            String target = folder.forDaemon();
            FolderView removed = ControlClient.forHome(home.resolve()).removeFolder(target);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Stopped sharing " + removed.id() + " (" + removed.path() + "); its files were left in place.");
            out.flush();
            return 0;
        }
    }

    /** {@code folder rescan FOLDER [PATH]}: scan now instead of waiting for the watcher or the periodic rescan. */
    @Command(name = "rescan", description = "Scan a folder now, or only PATH in it (a file or directory).")
    static final class Rescan implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        HomeOption home;
        @Mixin
        FolderArg folder;
        @Parameters(index = "1", arity = "0..1", paramLabel = "PATH",
                description = "Folder-relative (or absolute, inside the folder) path to scan; all of it if omitted.")
        String path;

        @Override
        public Integer call() throws Exception {
            io.peersync.daemon.control.RescanView r = ControlClient.forHome(home.resolve())
                    .rescan(folder.forDaemon(), path);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Scanning " + (r.scanned().isEmpty() ? r.path() : r.path() + "/" + r.scanned()) + ".");
            out.flush();
            return 0;
        }
    }

    /** What {@code folder pause} and {@code folder resume} share: one folder, one request, one line printed. */
    abstract static class Switch implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        HomeOption home;
        @Mixin
        FolderArg folder;

        abstract FolderView send(ControlClient client, String target) throws Exception;

        abstract String done(FolderView f);

        @Override
        public Integer call() throws Exception {
            FolderView f = send(ControlClient.forHome(home.resolve()), folder.forDaemon());
            PrintWriter out = spec.commandLine().getOut();
            out.println(done(f));
            out.flush();
            return 0;
        }
    }

    /** {@code folder pause FOLDER}. */
    @Command(name = "pause", description = "Stop syncing a folder (across restarts too) until it is resumed.")
    static final class Pause extends Switch {
        @Override
        FolderView send(ControlClient client, String target) throws Exception {
            return client.pauseFolder(target);
        }

        @Override
        String done(FolderView f) {
            return "Paused " + f.id() + " (" + f.path() + "); resume it with: peersync folder resume " + f.id();
        }
    }

    /** {@code folder resume FOLDER}. */
    @Command(name = "resume", description = "Sync a paused folder again.")
    static final class Resume extends Switch {
        @Override
        FolderView send(ControlClient client, String target) throws Exception {
            return client.resumeFolder(target);
        }

        @Override
        String done(FolderView f) {
            return "Resumed " + f.id() + " (" + f.path() + ").";
        }
    }

    /** {@code folder revert FOLDER}: read-only folders only. */
    @Command(name = "revert", description = "Undo local changes of a read-only folder: restore the signed global state.")
    static final class Revert implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        HomeOption home;
        @Mixin
        FolderArg folder;

        @Override
        public Integer call() throws Exception {
            String target = folder.forDaemon();
            io.peersync.daemon.control.RevertView r = ControlClient.forHome(home.resolve()).revertFolder(target);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Reverted " + r.reverted() + " local change" + (r.reverted() == 1 ? "" : "s") + " in "
                    + r.id() + " (" + r.path() + "); the global versions are being restored.");
            out.flush();
            return 0;
        }
    }

    /** {@code folder set FOLDER [options]}: per-folder options; prints them all. */
    @Command(name = "set", description = "Change a folder's options: after-sync hook, archive retention, owner and group.")
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        HomeOption home;
        @Mixin
        FolderArg folder;
        @picocli.CommandLine.Option(names = "--hook", paramLabel = "COMMAND",
                description = "Run COMMAND (with /bin/sh) after each applied change set; changed paths on stdin.")
        String hook;
        @picocli.CommandLine.Option(names = "--no-hook", description = "Remove the after-sync hook.")
        boolean noHook;
        @picocli.CommandLine.Option(names = "--keep-versions", paramLabel = "N",
                description = "Archived versions kept per file (default 5).")
        Integer keepVersions;
        @picocli.CommandLine.Option(names = "--keep-days", paramLabel = "DAYS",
                description = "Days an archived version is kept (default 30).")
        Integer keepDays;
        @picocli.CommandLine.Option(names = "--owner", paramLabel = "USER",
                description = "Owner of files sync writes (the daemon must run as root).")
        String owner;
        @picocli.CommandLine.Option(names = "--group", paramLabel = "GROUP", description = "Group of files sync writes.")
        String group;
        @picocli.CommandLine.Option(names = "--min-free", paramLabel = "SIZE",
                description = "Free space pulls leave on the disk: a share such as 1%% (the default) or a size "
                        + "such as 2GiB.")
        String minFree;

        @Override
        public Integer call() throws Exception {
            String target = folder.forDaemon();
            io.peersync.daemon.control.FolderSettingsView v = ControlClient.forHome(home.resolve()).configureFolder(
                    new io.peersync.daemon.control.ControlJson.FolderSettingsRequest(target, hook, noHook,
                            keepVersions, keepDays, owner, group, minFree));
            PrintWriter out = spec.commandLine().getOut();
            out.println("Folder " + v.id() + " (" + v.path() + ")");
            out.println("  hook           " + (v.hook() == null ? "none" : v.hook()));
            out.println("  keep versions  " + v.keepVersions());
            out.println("  keep days      " + v.keepDays());
            out.println("  owner:group    " + (v.owner() == null ? "-" : v.owner()) + ":"
                    + (v.group() == null ? "-" : v.group()));
            out.println("  min free       " + v.minFree());
            out.flush();
            return 0;
        }
    }
}
