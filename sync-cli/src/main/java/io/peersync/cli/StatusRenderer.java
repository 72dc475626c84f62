package io.peersync.cli;

import io.peersync.daemon.control.StatusView;
import io.peersync.daemon.control.StatusView.FolderPeerView;
import io.peersync.daemon.control.StatusView.FolderStatusView;
import java.util.List;

/** The human form of {@code peersync status}: one block per folder with counts, a progress bar and peers. */
final class StatusRenderer {
    private static final int BAR_WIDTH = 30;

    private StatusRenderer() {
    }

    static String render(StatusView status) {
        return render(status, f -> null);
    }

    /** With a {@code download} line per folder where {@code downloads} gives one (status --watch). */
    static String render(StatusView status, java.util.function.Function<FolderStatusView, String> downloads) {
        StringBuilder text = new StringBuilder();
        text.append("Node ").append(status.node().id()).append('\n')
                .append("Listening on ").append(status.node().listen()).append('\n');
        List<FolderStatusView> folders = status.folders() == null ? List.of() : status.folders();
        if (folders.isEmpty()) {
            text.append("\nNo shared folders (add one with: peersync folder add DIR --secret SECRET).\n");
        }
        for (FolderStatusView folder : folders) {
            text.append('\n');
            folder(text, folder, downloads.apply(folder));
        }
        return text.toString();
    }

    private static void folder(StringBuilder text, FolderStatusView f, String download) {
        text.append("Folder ").append(f.id()).append("  ").append(f.path()).append('\n');
        line(text, "access", f.access());
        line(text, "state", f.state() + (f.inSync() ? ", in sync" : ""));
        line(text, "local", counts(f.localFiles(), f.localBytes()));
        line(text, "global", counts(f.globalFiles(), f.globalBytes()));
        line(text, "need", counts(f.needFiles(), f.needBytes()));
        line(text, "progress", bar(percent(f)));
        if (download != null) {
            line(text, "download", download);
        }
        if (f.error() != null) {
            line(text, "error", f.error());
        }
        if (f.localChanges() > 0) {
            line(text, "changed", f.localChanges() + " local changes not synced (undo with: peersync folder revert "
                    + f.id() + ")");
            List<String> paths = f.localChangedPaths() == null ? List.of() : f.localChangedPaths();
            paths.stream().limit(10).forEach(p -> line(text, "", p));
        }
        List<FolderPeerView> peers = f.peers() == null ? List.of() : f.peers();
        if (peers.isEmpty()) {
            line(text, "peers", "none");
        }
        for (int i = 0; i < peers.size(); i++) {
            FolderPeerView p = peers.get(i);
            String node = p.node() == null ? "(unknown node)" : p.node();
            line(text, i == 0 ? "peers" : "", node + "  " + p.address() + "  "
                    + (p.connected() ? "connected" : "disconnected"));
        }
    }

    private static void line(StringBuilder text, String label, String value) {
        // Plain concatenation, not String.format: the formatter's first use costs a tenth of a status run.
        text.append("  ").append(label).append(" ".repeat(Math.max(0, 9 - label.length()))).append(' ')
                .append(value).append(System.lineSeparator());
    }

    static String counts(long files, long bytes) {
        return files + (files == 1 ? " file, " : " files, ") + io.peersync.daemon.config.Sizes.human(bytes);
    }

    /** Share of the global bytes present locally; never 100 while anything is still needed. */
    static int percent(FolderStatusView f) {
        boolean pending = f.needFiles() > 0 || f.needBytes() > 0;
        if (f.globalBytes() <= 0) {
            return pending ? 0 : 100;
        }
        long have = Math.max(0, f.globalBytes() - Math.max(0, f.needBytes()));
        int percent = (int) Math.min(100, have * 100 / f.globalBytes());
        return pending ? Math.min(percent, 99) : percent;
    }

    static String bar(int percent) {
        int filled = percent * BAR_WIDTH / 100;
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] "
                + " ".repeat(Math.max(0, 3 - Integer.toString(percent).length())) + percent + "%";
    }
}
