package io.peersync.daemon.health;

import io.peersync.daemon.engine.FolderState;
import io.peersync.daemon.engine.FolderSync;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every folder's state twice a second and decides whether this node is fit to serve: a folder is fit once
 * it completed a sync since it was opened, while it is not in error, and unless it has been out of sync for longer
 * than the grace period. A node applying an ordinary update is out of sync for a moment only, and serves the whole
 * old version meanwhile, so it stays fit; a node that joined empty is unfit until it is whole. Readers get the last
 * sample, at most half a second old, without touching the index.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);
    static final Duration INTERVAL = Duration.ofMillis(500);

    private final HealthSources sources;
    private final Duration grace;
    private final EventLog events;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    /** Per running folder object: a folder paused and resumed, or removed and added again, starts over. */
    private final Map<FolderSync, Tracker> trackers = new IdentityHashMap<>();
    private final List<Runnable> afterSample = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Map<String, Sample> samples = Map.of();
    private volatile HealthReport report;

    /** The last sample of one running folder, with the folder it came from. */
    public record Sample(FolderSync folder, FolderState state, FolderHealth health) {
    }

    public HealthMonitor(HealthSources sources, Duration grace, EventLog events, Clock clock) {
        this.sources = sources;
        this.grace = grace;
        this.events = events;
        this.clock = clock;
        this.report = new HealthReport(false, "The daemon is starting.", clock.instant().toString(), List.of());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "health");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::sampleSafely, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs after every sample, on the sampling thread (the metrics follow folders and peers coming and going). */
    public void afterSample(Runnable action) {
        afterSample.add(action);
    }

    public HealthReport report() {
        return report;
    }

    public Optional<FolderHealth> folder(String id) {
        return report.folders().stream().filter(f -> f.id().equals(id)).findFirst();
    }

    /** The last sample of each running folder, by folder id. */
    public Map<String, Sample> samples() {
        return samples;
    }

    public HealthSources sources() {
        return sources;
    }

    private void sampleSafely() {
        try {
            sample();
            afterSample.forEach(Runnable::run);
        } catch (RuntimeException e) {
            log.warn("Health check failed: {}", e.toString(), e);
        }
    }

    /** Takes one sample of every folder; public for tests that drive the clock. */
    public synchronized void sample() {
        Instant now = clock.instant();
        boolean knowsPeers = sources.knowsPeers();
        Map<String, Sample> next = new LinkedHashMap<>();
        List<FolderHealth> folders = new ArrayList<>();
        Map<FolderSync, Tracker> seen = new IdentityHashMap<>();
        for (FolderSync f : sources.running()) {
            Tracker t = trackers.computeIfAbsent(f, k -> {
                String id = k.id().value();
                k.activity().listen((type, data) -> events.add(type, id, data));
                return new Tracker(now);
            });
            seen.put(f, t);
            FolderState s = f.state();
            FolderHealth h = t.update(s, now, knowsPeers);
            next.put(s.id().value(), new Sample(f, s, h));
            folders.add(h);
        }
        trackers.keySet().retainAll(seen.keySet());
        for (HealthSources.Stopped s : sources.stopped()) {
            folders.add(new FolderHealth(s.id(), s.path(), false, s.state(), false, false, 0, s.reason()));
        }
        folders.sort(Comparator.comparing(FolderHealth::path));
        samples = Map.copyOf(next);
        String reason = null;
        if (folders.isEmpty()) {
            reason = "This node shares no folder.";
        } else {
            for (FolderHealth h : folders) {
                if (!h.fit()) {
                    reason = "Folder " + h.id() + ": " + h.reason();
                    break;
                }
            }
        }
        report = new HealthReport(reason == null, reason, now.toString(), List.copyOf(folders));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** What the monitor remembers of one running folder between samples. */
    private final class Tracker {
        private final Instant opened;
        private Boolean hadFilesAtOpen;
        private boolean synced;
        private Instant behindSince;
        private FolderHealth last;

        Tracker(Instant opened) {
            this.opened = opened;
        }

        FolderHealth update(FolderState s, Instant now, boolean knowsPeers) {
            if (hadFilesAtOpen == null && !"scanning".equals(s.state())) {
                hadFilesAtOpen = s.counts().localFiles() > 0;
            }
            boolean error = "error".equals(s.state());
            if (s.inSync()) {
                behindSince = null;
            } else if (behindSince == null) {
                behindSince = now;
            }
            if (!synced && s.inSync() && !error) {
                boolean peerConfirmed = s.peers().stream().anyMatch(p -> p.connected() && p.indexComplete());
                // A node restarted with its data while every peer is away serves that data once the grace passed.
                boolean alone = Boolean.TRUE.equals(hadFilesAtOpen) && now.isAfter(opened.plus(grace));
                synced = peerConfirmed || !knowsPeers || alone;
            }
            long behind = behindSince == null ? 0 : Duration.between(behindSince, now).toSeconds();
            String reason = null;
            if (error) {
                reason = s.error();
            } else if (!synced) {
                reason = "it has not completed a sync since it was opened (" + s.state() + ", "
                        + s.counts().needFiles() + " files to pull).";
            } else if (behindSince != null && Duration.between(behindSince, now).compareTo(grace) > 0) {
                reason = "it has been out of sync for " + behind + " s (" + s.state() + ", "
                        + s.counts().needFiles() + " files to pull).";
            }
            FolderHealth h = new FolderHealth(s.id().value(), s.path(), reason == null, s.state(), s.inSync(), synced,
                    behind, reason);
            if (last == null || last.fit() != h.fit() || !last.state().equals(h.state())
                    || last.inSync() != h.inSync()) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("state", h.state());
                data.put("inSync", h.inSync());
                data.put("fit", h.fit());
                if (reason != null) {
                    data.put("reason", reason);
                }
                events.add("folderState", h.id(), data);
            }
            last = h;
            return h;
        }
    }
}
