package io.peersync.daemon.health;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.peersync.daemon.engine.FolderActivity;
import io.peersync.daemon.engine.FolderState;
import io.peersync.daemon.engine.FolderSync;
import io.peersync.daemon.index.FolderCounts;
import io.peersync.daemon.net.PeerNetwork.PeerTraffic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The daemon's Prometheus metrics: per folder (tag {@code folder}) and per peer (tag {@code peer}, a node id), plus
 * the JVM and the process. Folder and peer meters follow the health monitor's samples: they appear with a folder or
 * peer and go with it. Gauges read the last sample, so a scrape never touches the index.
 */
public final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HealthMonitor monitor;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<FolderSync, List<Meter>> folderMeters = new IdentityHashMap<>();
    private final Map<String, List<Meter>> peerMeters = new HashMap<>();
    private volatile Map<String, PeerTraffic> traffic = Map.of();

    public Metrics(HealthMonitor monitor) {
        this.monitor = monitor;
        // Two of Micrometer's system meters break Prometheus's naming rules (promtool check metrics): a "_count"
        // suffix on a gauge, and CPU time in nanoseconds; process_cpu_usage and the renamed gauge remain.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        monitor.afterSample(this::follow);
    }

    /** The metrics in Prometheus's text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** The content type of {@link #scrape()}. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    /** Registers meters for folders and peers that appeared since the last sample and removes those that went. */
    synchronized void follow() {
        Map<FolderSync, Boolean> running = new IdentityHashMap<>();
        monitor.samples().values().forEach(s -> running.put(s.folder(), true));
        folderMeters.entrySet().removeIf(e -> {
            if (running.containsKey(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
        for (FolderSync f : running.keySet()) {
            folderMeters.computeIfAbsent(f, this::register);
        }
        Map<String, PeerTraffic> now = new HashMap<>();
        for (PeerTraffic t : monitor.sources().traffic()) {
            now.put(t.node().toString(), t);
        }
        traffic = Map.copyOf(now);
        peerMeters.entrySet().removeIf(e -> {
            if (now.containsKey(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
        for (String peer : now.keySet()) {
            peerMeters.computeIfAbsent(peer, this::registerPeer);
        }
    }

    private List<Meter> register(FolderSync f) {
        String id = f.id().value();
        Tags tags = Tags.of("folder", id);
        FolderActivity a = f.activity();
        List<Meter> m = new ArrayList<>();
        m.add(gauge("peersync.folder.in.sync", "1 when the folder is in sync with its peers", tags, id,
                s -> s.inSync() ? 1 : 0, null));
        m.add(gauge("peersync.folder.local.files", "Files, directories and links this node has", tags, id,
                s -> s.counts().localFiles(), null));
        m.add(gauge("peersync.folder.local", "Bytes this node has", tags, id, s -> s.counts().localBytes(), "bytes"));
        m.add(gauge("peersync.folder.global.files", "Entries in the newest version of the folder", tags, id,
                s -> s.counts().globalFiles(), null));
        m.add(gauge("peersync.folder.global", "Bytes of the newest version of the folder", tags, id,
                s -> s.counts().globalBytes(), "bytes"));
        m.add(gauge("peersync.folder.need.files", "Entries this node still has to pull", tags, id,
                s -> s.counts().needFiles(), null));
        m.add(gauge("peersync.folder.need", "Bytes this node still has to pull", tags, id,
                s -> s.counts().needBytes(), "bytes"));
        m.add(counter("peersync.folder.received", "Block bytes pulled from peers", tags, a,
                FolderActivity::bytesFromNetwork, "bytes"));
        m.add(counter("peersync.folder.sent", "Block bytes served to peers", tags, a, FolderActivity::bytesSent,
                "bytes"));
        m.add(counter("peersync.folder.copied", "Bytes copied from files already on this node instead of pulled",
                tags, a, FolderActivity::bytesCopiedLocally, "bytes"));
        m.add(counter("peersync.folder.conflicts", "Conflicting local versions kept under a conflict name", tags, a,
                FolderActivity::conflicts, null));
        m.add(counter("peersync.folder.errors", "Folder errors raised", tags, a, FolderActivity::errors, null));
        m.add(counter("peersync.folder.hook.runs", "Runs of the after-sync hook", tags, a, FolderActivity::hookRuns,
                null));
        m.add(counter("peersync.folder.hook.failures", "Runs of the after-sync hook that failed", tags, a,
                FolderActivity::hookFailures, null));
        m.add(FunctionTimer.builder("peersync.folder.scan", a, FolderActivity::scans, FolderActivity::scanNanos,
                TimeUnit.NANOSECONDS).description("Scans of the folder and how long they took").tags(tags)
                .register(registry));
        m.add(FunctionTimer.builder("peersync.folder.change.set.apply", a, FolderActivity::setsApplied,
                FolderActivity::setApplyNanos, TimeUnit.NANOSECONDS)
                .description("Change sets pulled and applied whole, from first download to last rename").tags(tags)
                .register(registry));
        m.add(Gauge.builder("peersync.folder.fit", monitor, mon -> {
            HealthMonitor.Sample s = mon.samples().get(id);
            return s != null && s.health().fit() ? 1 : 0;
        }).description("1 when the folder is fit to serve (what /health reports)").tags(tags).register(registry));
        return m;
    }

    private Meter gauge(String name, String help, Tags tags, String id, ToDoubleFunction<FolderState> value,
                        String unit) {
        return Gauge.builder(name, monitor, mon -> {
            HealthMonitor.Sample s = mon.samples().get(id);
            return s == null ? Double.NaN : value.applyAsDouble(s.state());
        }).description(help).tags(tags).baseUnit(unit).register(registry);
    }

    private Meter counter(String name, String help, Tags tags, FolderActivity a, ToLongFunction<FolderActivity> value,
                          String unit) {
        return FunctionCounter.builder(name, a, x -> value.applyAsLong(x)).description(help).tags(tags).baseUnit(unit)
                .register(registry);
    }

    private List<Meter> registerPeer(String peer) {
        Tags tags = Tags.of("peer", peer);
        return List.of(
                Gauge.builder("peersync.peer.connected", this, m -> peer(m, peer, t -> t.connected() ? 1 : 0))
                        .description("1 while this node is connected to the peer").tags(tags).register(registry),
                FunctionCounter.builder("peersync.peer.received", this, m -> peer(m, peer, PeerTraffic::bytesIn))
                        .description("Bytes read from the peer's connections, TLS included").tags(tags)
                        .baseUnit("bytes").register(registry),
                FunctionCounter.builder("peersync.peer.sent", this, m -> peer(m, peer, PeerTraffic::bytesOut))
                        .description("Bytes written to the peer's connections, TLS included").tags(tags)
                        .baseUnit("bytes").register(registry));
    }

    private static double peer(Metrics m, String peer, ToDoubleFunction<PeerTraffic> value) {
        PeerTraffic t = m.traffic.get(peer);
        return t == null ? Double.NaN : value.applyAsDouble(t);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
