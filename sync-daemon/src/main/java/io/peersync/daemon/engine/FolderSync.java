package io.peersync.daemon.engine;

import io.peersync.daemon.config.FolderSettings;
import io.peersync.daemon.config.MinFree;
import io.peersync.daemon.fs.FolderFs;
import io.peersync.daemon.ignore.IgnoredContent;
import io.peersync.daemon.index.BlockLocation;
import io.peersync.daemon.index.IndexStore;
import io.peersync.daemon.net.PeerConnection;
import io.peersync.daemon.scan.FolderWatcher;
import io.peersync.daemon.scan.ScanConfig;
import io.peersync.daemon.scan.Scanner;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.secret.AccessLevel;
import io.peersync.protocol.secret.ContentCipher;
import io.peersync.protocol.secret.FolderSecret;
import io.peersync.protocol.wire.Message.BlockRequest;
import io.peersync.protocol.wire.Message.BlockResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared folder on this node: scans it into the index ({@link FolderScans}, {@link LocalCommits}), exchanges
 * indexes with member peers ({@link IndexExchange}), pulls what it lacks ({@link Puller}) and serves blocks
 * ({@link BlockServer}). This class wires those parts and is what the engine and the control API see. Index work
 * runs on the folder's own single worker thread, so changes to one folder are applied in order; disk writes that
 * race with scans take the commit lock.
 */
public final class FolderSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FolderSync.class);
    private static final Duration FULL_RESCAN = Duration.ofSeconds(60);

    final FolderSecret secret;
    final FolderActivity counters = new FolderActivity();
    /** How many peers this node is connected to at all; set by the engine. */
    volatile IntSupplier connectedPeers = () -> 0;

    private final FolderId id;
    private final FolderFs fs;
    private final boolean encrypted;
    private final ReentrantLock commitLock = new ReentrantLock();
    private final ScheduledExecutorService worker;
    private final ExecutorService remoteIndex;
    private final FolderError error;
    private final FolderIgnores ignores;
    private final OwnWrites ownWrites = new OwnWrites();
    private final LocalCommits commits;
    /** Read-only folders only; null otherwise. */
    private final ReadOnlyChanges readOnly;
    private final FolderScans scans;
    private final IndexExchange exchange;
    private final HookRunner hook;
    private final FolderStatus status;
    private final BlockServer blockServer;
    private final Puller puller;
    private volatile FolderSettings settings = FolderSettings.DEFAULT;
    private volatile String hookCommand;
    private volatile FolderWatcher watcher;
    private volatile boolean closed;

    public FolderSync(FolderSecret secret, FolderFs fs, IndexStore index, NodeId self, ExecutorService io,
                      ExecutorService hashers, Clock clock) {
        this.id = secret.folderId();
        this.secret = secret;
        this.fs = fs;
        this.encrypted = secret.level() == AccessLevel.ENCRYPTED;
        String name = "folder-" + id.value().substring(0, 8);
        this.worker = Executors.newSingleThreadScheduledExecutor(daemonThreads(name));
        this.remoteIndex = Executors.newSingleThreadExecutor(daemonThreads(name + "-remote"));
        this.error = new FolderError(id, counters);
        this.ignores = new FolderIgnores(id, fs.root(), encrypted, this::wakePuller);
        this.commits = new LocalCommits(secret, fs, index, self.shortId(), clock, commitLock, hashers,
                path -> worker.schedule(() -> requestScan(path), 1, TimeUnit.SECONDS), this::changedLocally);
        this.readOnly = secret.level() == AccessLevel.READ_ONLY ? new ReadOnlyChanges(id, fs, index, commitLock) : null;
        Scanner scanner = new Scanner(ScanConfig.builder(fs, path -> index.local(id, path),
                action -> index.forEachLocal(id, action)).hashers(hashers, 2).ignored(ignores::ignored).build());
        this.scans = new FolderScans(id, fs, scanner, ignores, error, worker, () -> watcher,
                readOnly != null ? readOnly::note : commits::commitScan, readOnly, counters);
        this.exchange = new IndexExchange(id, index, new IncomingRecords(secret, hashers), encrypted, worker,
                remoteIndex, this::wakePuller);
        this.hook = new HookRunner(id.value(), fs.root(), () -> hookCommand, counters);
        this.status = new FolderStatus(id, fs.root().toString(), secret.level(), index, ignores, scans, exchange,
                readOnly, error, hook, clock);
        this.blockServer = new BlockServer(id, index, fs, encrypted, secret.contentCipher().orElse(null), io,
                counters);
        this.puller = new Puller(new Target(index), io);
    }

    private static ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public FolderId id() {
        return id;
    }

    public AccessLevel access() {
        return secret.level();
    }

    public Path root() {
        return fs.root();
    }

    /** This folder's versions archive under its retention policy. */
    public VersionArchive archive() {
        return new VersionArchive(fs, settings.archivePolicy());
    }

    /** Takes new options: hook, archive retention, owner and group of files sync writes, minimum free space. */
    public void apply(FolderSettings s) {
        settings = s;
        setHook(s.hook());
    }

    public void setHook(String command) {
        hookCommand = command == null || command.isBlank() ? null : command;
    }

    /** Throws unless the owner and group exist and this process may give files to them. */
    public void checkOwnership(String owner, String group) throws IOException {
        fs.checkOwner(owner, group);
    }

    public void start() {
        if (encrypted) {
            scans.skipInitialScan(); // ciphertext is never scanned: it changes only by sync
            puller.start();
            return;
        }
        requestScan("");
        try {
            watcher = FolderWatcher.start(fs.root(), FolderWatcher.DEFAULT_QUIET, FolderWatcher.DEFAULT_MAX_DELAY,
                    ownWrites::isOwnWrite, scans::onWatched);
        } catch (IOException e) {
            log.warn("Folder {}: cannot watch {} for changes ({}); relying on the periodic rescan", id, fs.root(),
                    e.getMessage());
        }
        worker.scheduleWithFixedDelay(() -> requestScan(""), FULL_RESCAN.toMillis(), FULL_RESCAN.toMillis(),
                TimeUnit.MILLISECONDS);
        worker.scheduleWithFixedDelay(this::pruneArchive, 1, 60, TimeUnit.MINUTES);
        puller.start();
    }

    /** Queues a scan of {@code subtree} ("" for everything) on the worker. */
    public void requestScan(String subtree) {
        scans.request(List.of(subtree));
    }

    /** Read-only folders: puts back the global version of every locally changed path; returns how many. */
    public int revert() throws IOException {
        if (readOnly == null) {
            throw new IllegalStateException("only read-only folders have local changes to revert");
        }
        int reverted = readOnly.revert();
        puller.wake();
        return reverted;
    }

    /** Read-only folders: locally changed paths (they never leave this node), at most {@code limit}. */
    public List<String> localChanges(int limit) {
        return readOnly == null ? List.of() : readOnly.list(limit);
    }

    public int localChangeCount() {
        return readOnly == null ? 0 : readOnly.count();
    }

    /** What this folder did since the daemon started. */
    public FolderActivity activity() {
        return counters;
    }

    /** A consistent snapshot for the control API. */
    public FolderState state() {
        return status.state(puller, connectedPeers, counters);
    }

    // ---- what the engine hands over from peers ---------------------------------------------------------------------

    /** The index exchange with this folder's member peers, to which the engine hands what they send. */
    IndexExchange exchange() {
        return exchange;
    }

    void onBlockRequest(PeerConnection connection, BlockRequest request) {
        Optional<Member> member = exchange.member(connection);
        if (member.isEmpty()) {
            connection.send(BlockResponse.failed(request.id(), BlockResponse.Status.NOT_FOUND));
            return;
        }
        blockServer.serve(member.get(), request);
    }

    // ---- inside ------------------------------------------------------------------------------------------------

    private void wakePuller() {
        Puller p = puller;
        if (p != null) {
            p.wake();
        }
    }

    /** New local versions were stored: tell the members, and pull whatever they superseded. */
    private void changedLocally() {
        exchange.announce();
        wakePuller();
    }

    /** Runs {@code task} on the folder's worker after a delay; logs its failure. */
    private void later(Runnable task, long seconds) {
        if (!closed) {
            worker.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("Folder {}: {}", id, e.getMessage());
                }
            }, seconds, TimeUnit.SECONDS);
        }
    }

    private void pruneArchive() {
        try {
            int pruned = archive().prune();
            if (pruned > 0) {
                log.info("Folder {}: pruned {} old versions from the archive", id, pruned);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Folder {}: cannot prune the archive: {}", id, e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        scans.close();
        exchange.close();
        if (watcher != null) {
            watcher.close();
        }
        puller.close();
        hook.close();
        for (ExecutorService e : List.of(worker, remoteIndex)) {
            e.shutdown();
        }
        try {
            for (ExecutorService e : List.of(worker, remoteIndex)) {
                if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
                    e.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.releaseHolds();
    }

    /** What the pull sees of this folder (see {@link PullTarget}); each call goes to the part that owns it. */
    private final class Target implements PullTarget {
        private final IndexStore index;

        Target(IndexStore index) {
            this.index = index;
        }

        @Override
        public FolderId id() {
            return id;
        }

        @Override
        public FolderFs fs() {
            return fs;
        }

        @Override
        public boolean encrypted() {
            return encrypted;
        }

        @Override
        public boolean readWrite() {
            return secret.level() == AccessLevel.READ_WRITE;
        }

        @Override
        public Optional<ContentCipher> cipher() {
            return secret.contentCipher();
        }

        @Override
        public FolderActivity counters() {
            return counters;
        }

        @Override
        public MinFree minFree() {
            return settings.minFreeOrDefault();
        }

        @Override
        public Lock commitLock() {
            return commitLock;
        }

        @Override
        public Optional<FileRecord> local(String path) {
            return index.local(id, path);
        }

        @Override
        public List<FileRecord> need(String after, int limit) {
            return index.need(id, after, limit);
        }

        @Override
        public Optional<BlockLocation> findBlock(Hash hash) {
            return index.findBlock(id, hash);
        }

        @Override
        public List<Member> sources(FileRecord record) {
            return exchange.sources(record);
        }

        @Override
        public boolean setSettled(List<FileRecord> members) {
            return exchange.setSettled(members);
        }

        @Override
        public boolean ignored(String path, boolean directory) {
            return ignores.ignored(path, directory);
        }

        @Override
        public IgnoredContent.Rules contentRules() {
            return ignores.contentRules();
        }

        @Override
        public void commitPulled(List<FileRecord> records) {
            commits.commitPulled(records);
        }

        @Override
        public void own(String path) throws IOException {
            FolderSettings s = settings;
            if (s.owner() != null || s.group() != null) {
                fs.setOwner(path, s.owner(), s.group());
            }
        }

        @Override
        public void rescan(String path) {
            requestScan(path);
        }

        @Override
        public void announce() {
            exchange.announce();
        }

        @Override
        public void wrote(Collection<String> paths) {
            ownWrites.wrote(paths);
        }

        @Override
        public void rewatch(String dir) {
            FolderWatcher w = watcher;
            if (w != null) {
                w.rewatch(dir);
            }
        }

        @Override
        public void later(Runnable task, long seconds) {
            FolderSync.this.later(task, seconds);
        }

        @Override
        public void afterChanges(List<String> paths) {
            ignores.refreshIfAmong(paths);
            hook.afterChangeSet(paths);
        }

        @Override
        public void setError(String message) {
            error.set(message);
        }

        @Override
        public void clearErrorStartingWith(String prefix) {
            error.clearIf(e -> e.startsWith(prefix));
        }
    }
}
