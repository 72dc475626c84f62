package io.peersync.cli;

import io.peersync.daemon.config.Sizes;
import io.peersync.daemon.control.StatusView.FolderStatusView;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * For {@code status --watch}: how far the download a folder is waiting for has come. A change set lands whole, so
 * {@code needBytes} only drops when all of it is there; meanwhile the bytes already pulled into it (received from
 * peers or copied from local files) count, and give a rate and an estimate of the time left.
 */
final class TransferProgress {
    /** Weight of the newest frame in the smoothed rate. */
    private static final double SMOOTHING = 0.3;

    /** What a folder's download started from, and what the last frame saw. */
    private static final class Download {
        final long baseline;
        long total;
        long lastMoved;
        long lastNanos;
        double rate = -1;

        Download(long moved, long total, long nanos) {
            this.baseline = moved;
            this.total = total;
            this.lastMoved = moved;
            this.lastNanos = nanos;
        }
    }

    private final Map<String, Download> downloads = new HashMap<>();

    /** The progress line for this frame of a folder, or null when it needs nothing. */
    String line(FolderStatusView f, long nowNanos) {
        long moved = f.bytesReceived() + f.bytesCopiedLocally();
        if (f.needBytes() <= 0 && f.needFiles() <= 0) {
            downloads.remove(f.id());
            return null;
        }
        Download d = downloads.get(f.id());
        if (d == null || moved < d.lastMoved) {
            d = new Download(moved, f.needBytes(), nowNanos);
            downloads.put(f.id(), d);
        }
        long done = Math.max(0, moved - d.baseline);
        // A bigger set announced while downloading: the total grows with it.
        d.total = Math.max(d.total, f.needBytes());
        done = Math.min(done, d.total);
        long elapsed = nowNanos - d.lastNanos;
        if (elapsed > 0) {
            double current = (moved - d.lastMoved) * 1e9 / elapsed;
            d.rate = d.rate < 0 ? current : SMOOTHING * current + (1 - SMOOTHING) * d.rate;
            d.lastMoved = moved;
            d.lastNanos = nowNanos;
        }
        int percent = d.total <= 0 ? 0 : (int) Math.min(99, done * 100 / d.total);
        StringBuilder s = new StringBuilder(StatusRenderer.bar(percent)).append("  ")
                .append(Sizes.human(done)).append(" of ").append(Sizes.human(d.total));
        if (d.rate > 0) {
            s.append(", ").append(Sizes.human((long) d.rate)).append("/s");
            long left = (long) Math.ceil((d.total - done) / d.rate);
            s.append(", ETA ").append(duration(left));
        }
        return s.toString();
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
    }
}
