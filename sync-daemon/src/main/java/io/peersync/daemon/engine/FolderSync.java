package io.peersync.daemon.engine;

import io.peersync.daemon.fs.FolderFs;
import io.peersync.daemon.ignore.IgnoreFile;
import io.peersync.daemon.ignore.IgnoreRules;
import io.peersync.daemon.index.FolderCounts;
import io.peersync.daemon.index.IndexStore;
import io.peersync.daemon.net.PeerConnection;
import io.peersync.daemon.scan.ChangeBatch;
import io.peersync.daemon.scan.ChangeUnit;
import io.peersync.daemon.scan.FolderWatcher;
import io.peersync.daemon.scan.ScanChange;
import io.peersync.daemon.scan.ScanConfig;
import io.peersync.daemon.scan.ScanStats;
import io.peersync.daemon.scan.Scanner;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.secret.AccessLevel;
import io.peersync.protocol.secret.ContentCipher;
import io.peersync.protocol.secret.RecordSigner;
import io.peersync.protocol.secret.FolderSecret;
import io.peersync.protocol.wire.Message.BlockRequest;
import io.peersync.protocol.wire.Message.IndexUpdate;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared folder on this node: scans it into the index, tells member peers what it has, applies what they have,
 * and pulls what it lacks. Index work runs on the folder's own single worker thread, so changes to one folder are
 * applied in order; disk writes that race with scans take {@link #commitLock}.
 */
public final class FolderSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FolderSync.class);
    static final int INDEX_BATCH = 1000;
    /** Records go out in frames of at most about this many bytes (the frame limit is 16 MiB). */
    static final long INDEX_FRAME_BYTES = 4L * 1024 * 1024;
    private static final Duration FULL_RESCAN = Duration.ofSeconds(60);
    /** Index updates a peer may have waiting for the worker before we stop reading from it (each is a frame). */
    static final int MAX_QUEUED_INDEX_UPDATES = 4;
    /** Updates with at least this many records have their signatures checked on two threads. */
    static final int PARALLEL_VERIFY_FROM = 64;
    /** How soon sending an index to a peer whose socket was full is tried again. */
    private static final long RESUME_SEND_MILLIS = 10;

    final FolderId id;
    final FolderSecret secret;
    final FolderFs fs;
    final IndexStore index;
    final NodeId self;
    final long selfShort;
    final Clock clock;
    final ReentrantLock commitLock = new ReentrantLock();
    final Map<NodeId, Member> members = new ConcurrentHashMap<>();
    /** Peers that rejected our proof, or whose proof we rejected, with why; for status. */
    final Map<NodeId, String> rejections = new ConcurrentHashMap<>();
    final PullCounters counters = new PullCounters();
    /** Every peer that proved membership since start, with its address; status lists them. */
    private final Map<NodeId, String> seenMembers = new ConcurrentHashMap<>();

    private final ScheduledExecutorService worker;
    private final ExecutorService remoteIndex;
    private final ExecutorService hashers;
    private final Scanner scanner;
    private final IgnoreFile ignoreFile;
    /** The rules of {@code .peersyncignore} as of the last scan; ignored paths are never scanned or pulled. */
    private volatile IgnoreRules ignoreRules = IgnoreRules.none();
    /** Read-write folders sign what they change. */
    private final Sealer sealer;
    /** Encrypted nodes hold ciphertext only: no scanning, records and blocks in encrypted space. */
    final boolean encrypted;
    /** Read-only folders: local edits found by the scanner, which never leave this node, by path. */
    private final Map<String, String> localChanges = new ConcurrentHashMap<>();
    private final java.time.Instant added;
    /** How many peers this node is connected to at all; set by the engine. */
    volatile java.util.function.IntSupplier connectedPeers = () -> 0;
    private final BlockServer blockServer;
    private final Puller puller;
    private final AtomicInteger scansQueued = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean announcePending =
            new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean scanning;
    private volatile boolean initialScanDone;
    private volatile String error;
    private volatile boolean closed;
    private volatile FolderWatcher watcher;
    private final java.util.Set<PeerConnection.ReadHold> readHolds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public FolderSync(FolderSecret secret, FolderFs fs, IndexStore index, NodeId self, ExecutorService io,
                      ExecutorService hashers, Clock clock) {
        this.id = secret.folderId();
        this.secret = secret;
        this.fs = fs;
        this.index = index;
        this.self = self;
        this.selfShort = self.shortId();
        this.clock = clock;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "folder-" + id.value().substring(0, 8));
            t.setDaemon(true);
            return t;
        });
        // Peers' index updates are stored on a thread of their own, never queued behind a scan: while they wait, the
        // sender's connection (which every folder shares) may be held unread.
        this.remoteIndex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "folder-" + id.value().substring(0, 8) + "-remote");
            t.setDaemon(true);
            return t;
        });
        this.ignoreFile = IgnoreFile.of(fs.root());
        this.scanner = new Scanner(ScanConfig.builder(fs, path -> index.local(id, path),
                action -> index.forEachLocal(id, action)).hashers(hashers, 2)
                .ignored((path, directory) -> ignored(path, directory)).build());
        this.encrypted = secret.level() == AccessLevel.ENCRYPTED;
        this.sealer = secret.level() == AccessLevel.READ_WRITE ? new Sealer(secret, fs, hashers, 2) : null;
        this.hashers = hashers;
        this.added = clock.instant();
        this.blockServer = new BlockServer(this, io);
        this.hook = new HookRunner(id.value(), fs.root(), () -> hookCommand);
        this.puller = new Puller(this, io);
    }

    public FolderId id() {
        return id;
    }

    public AccessLevel access() {
        return secret.level();
    }

    public java.nio.file.Path root() {
        return fs.root();
    }

    private volatile io.peersync.daemon.config.FolderSettings settings = io.peersync.daemon.config.FolderSettings.DEFAULT;

    /** This folder's versions archive under its retention policy. */
    public VersionArchive archive() {
        return new VersionArchive(fs, settings.archivePolicy());
    }

    /** The free space pulls must leave on the disk. */
    io.peersync.daemon.config.MinFree minFree() {
        return settings.minFreeOrDefault();
    }

    /** Takes new options: hook, archive retention, owner and group of files sync writes. */
    public void apply(io.peersync.daemon.config.FolderSettings s) {
        settings = s;
        setHook(s.hook());
    }

    /** Throws unless the owner and group exist and this process may give files to them. */
    public void checkOwnership(String owner, String group) throws IOException {
        fs.checkOwner(owner, group);
    }

    /** Gives a file sync wrote the configured owner and group, if any. */
    void own(String path) throws IOException {
        io.peersync.daemon.config.FolderSettings s = settings;
        if (s.owner() != null || s.group() != null) {
            fs.setOwner(path, s.owner(), s.group());
        }
    }

    public void start() {
        if (encrypted) {
            initialScanDone = true; // ciphertext is never scanned: it changes only by sync
            puller.start();
            return;
        }
        requestScan("");
        try {
            watcher = FolderWatcher.start(fs.root(), FolderWatcher.DEFAULT_QUIET, FolderWatcher.DEFAULT_MAX_DELAY,
                    this::ownWrite, this::onWatched);
        } catch (IOException e) {
            log.warn("Folder {}: cannot watch {} for changes ({}); relying on the periodic rescan", id, fs.root(),
                    e.getMessage());
        }
        worker.scheduleWithFixedDelay(() -> requestScan(""), FULL_RESCAN.toMillis(), FULL_RESCAN.toMillis(),
                TimeUnit.MILLISECONDS);
        worker.scheduleWithFixedDelay(this::pruneArchive, 1, 60, TimeUnit.MINUTES);
        puller.start();
    }

    // ---- scanning -------------------------------------------------------------------------------------------------

    /** Queues a scan of {@code subtree} ("" for everything) on the worker. */
    public void requestScan(String subtree) {
        requestScan(List.of(subtree));
    }

    /** Queues one scan of several subtrees: what it finds is committed as one change set. */
    void requestScan(List<String> subtrees) {
        requestScan(subtrees, List.of());
    }

    /** {@link #requestScan(List)} for what the watcher saw change in units ({@code batches}, empty if none). */
    private void requestScan(List<String> subtrees, List<ChangeBatch> batches) {
        if (closed) {
            return;
        }
        scansQueued.incrementAndGet();
        worker.execute(() -> {
            try {
                scan(subtrees, batches);
            } finally {
                scansQueued.decrementAndGet();
            }
        });
    }

    /** Paths sync itself just wrote, with when: the watcher's events for them are not local changes. */
    private final Map<String, Long> syncWrites = new ConcurrentHashMap<>();
    private static final long OWN_WRITE_NANOS = 2_000_000_000L;

    /** Marks paths sync is writing now, so the watcher does not rescan them as local edits. */
    void wrote(java.util.Collection<String> paths) {
        long now = System.nanoTime();
        if (syncWrites.size() > 10_000) {
            syncWrites.values().removeIf(t -> now - t > OWN_WRITE_NANOS);
            if (syncWrites.size() > 200_000) {
                syncWrites.clear();
            }
        }
        paths.forEach(p -> syncWrites.put(p, now));
    }

    /** True for a path sync itself wrote moments ago: the watcher's event for it is not a local change. */
    private boolean ownWrite(String path) {
        Long t = syncWrites.get(path);
        return t != null && System.nanoTime() - t <= OWN_WRITE_NANOS;
    }

    /** Runs {@code task} on the folder's worker after a delay; logs its failure. */
    void later(Runnable task, long seconds) {
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

    void rewatch(String dir) {
        FolderWatcher w = watcher;
        if (w != null) {
            w.rewatch(dir);
        }
    }

    /** Scans what the watcher saw change in units that went quiet together, as one change set. */
    private void onWatched(List<ChangeBatch> batches) {
        java.util.TreeSet<String> paths = new java.util.TreeSet<>();
        batches.forEach(b -> paths.addAll(b.paths()));
        requestScan(paths.contains("") ? List.of("") : new ArrayList<>(paths), batches);
    }

    private void scan(List<String> subtrees, List<ChangeBatch> batches) {
        long started = System.nanoTime();
        scanning = true;
        if (secret.level() == AccessLevel.READ_ONLY) {
            for (String subtree : subtrees) {
                localChanges.keySet().removeIf(p -> subtree.isEmpty() || p.equals(subtree)
                        || p.startsWith(subtree + "/"));
            }
        }
        try {
            // An unmounted disk or a moved folder looks like "everything deleted": never propagate that.
            fs.checkMarker();
            refreshIgnores();
            // Everything one scan finds is one change set (up to a bound), so that peers apply it all at once.
            List<ScanChange> pending = new ArrayList<>();
            java.util.function.Consumer<List<ScanChange>> sink = found -> {
                pending.addAll(found);
                if (pending.size() >= FileRecord.MAX_CHANGE_SET) {
                    commitScan(settled(List.copyOf(pending), started, batches));
                    pending.clear();
                }
            };
            for (String subtree : subtrees) {
                ScanStats stats = scanner.scan(subtree, sink);
                if (!stats.errors().isEmpty()) {
                    log.warn("Folder {}: {} entries could not be read, e.g. {}", id, stats.errors().size(),
                            stats.errors().get(0));
                }
                if (!stats.retry().isEmpty()) {
                    worker.schedule(() -> requestScan(List.copyOf(stats.retry())), 1, TimeUnit.SECONDS);
                }
                if (stats.changed() + stats.deleted() > 0) {
                    log.info("Folder {}: scan of '{}' found {} changed and {} deleted entries ({} bytes hashed)", id,
                            subtree, stats.changed(), stats.deleted(), stats.hashedBytes());
                }
            }
            if (!pending.isEmpty()) {
                commitScan(settled(pending, started, batches));
            }
            if (error != null && (error.startsWith("scan") || error.contains("marker"))) {
                error = null;
            }
        } catch (IOException | RuntimeException e) {
            error = "scan failed: " + e.getMessage();
            log.warn("Folder {}: {}", id, error, e);
        } finally {
            initialScanDone = true;
            scanning = false;
        }
    }

    /**
     * The changes of a scan that started at {@code started} (nanoTime) without those in units that changed again
     * since: the scan may have caught them half-written (an installer still copying). They go back to the watcher
     * and are scanned again once their unit is quiet, unless the unit's batch waited the maximum delay already.
     */
    private List<ScanChange> settled(List<ScanChange> changes, long started, List<ChangeBatch> batches) {
        FolderWatcher w = watcher;
        if (w == null) {
            return changes;
        }
        Map<String, ChangeBatch> byUnit = new java.util.HashMap<>();
        batches.forEach(b -> byUnit.put(b.unit(), b));
        List<ScanChange> keep = new ArrayList<>(changes.size());
        Map<String, List<String>> again = new java.util.HashMap<>();
        for (ScanChange c : changes) {
            String unit = ChangeUnit.of(c.path());
            ChangeBatch batch = byUnit.get(unit);
            if ((batch == null || !batch.overdue()) && w.changedSince(unit, started)) {
                again.computeIfAbsent(unit, u -> new ArrayList<>()).add(c.path());
            } else {
                keep.add(c);
            }
        }
        again.forEach((unit, paths) -> {
            ChangeBatch batch = byUnit.get(unit);
            long first = batch != null ? batch.firstNanos() : started;
            w.requeue(new ChangeBatch(unit, Set.copyOf(paths), first, false));
        });
        if (!again.isEmpty()) {
            log.debug("Folder {}: {} still changing; scanning again once quiet", id, again.keySet());
        }
        return keep;
    }

    /** Turns a batch of scanned differences into new local versions, then tells peers. */
    private void commitScan(List<ScanChange> changes) {
        if (secret.level() == AccessLevel.READ_ONLY) {
            noteLocalChanges(changes);
            return;
        }
        List<FileRecord> fresh = new ArrayList<>();
        List<FileRecord> out;
        commitLock.lock();
        try {
            for (ScanChange change : changes) {
                Optional<FileRecord> local = index.local(id, change.path());
                if (change instanceof ScanChange.Changed changed) {
                    FileRecord r = changed.record();
                    if (local.isPresent() && !local.get().deleted() && local.get().sameContent(r)) {
                        continue; // a pull put exactly this in place since the scanner looked
                    }
                    Optional<FileRecord> global = index.global(id, r.path());
                    if (global.isPresent() && !global.get().deleted() && global.get().sameContent(r)
                            && global.get().sealed() != null) {
                        fresh.add(global.get()); // the global version is on disk already (e.g. after a crash mid-burst)
                        continue;
                    }
                    VersionVector base = local.map(FileRecord::version).orElseGet(() -> index.global(id, r.path())
                            .filter(FileRecord::deleted).map(FileRecord::version).orElse(VersionVector.EMPTY));
                    Optional<VersionVector> next = nextVersion(base, r.path());
                    next.ifPresent(v -> fresh.add(new FileRecord(r.path(), r.type(), r.size(), r.mtimeNanos(), r.mode(),
                            v, false, 0, selfShort, r.blockSize(), r.blocks(), r.fileHash(), r.target())));
                } else if (local.isPresent() && !local.get().deleted() && fs.stat(change.path()).isEmpty()) {
                    FileRecord known = local.get();
                    nextVersion(known.version(), known.path())
                            .ifPresent(v -> fresh.add(known.asDeleted(v, 0, selfShort, nowNanos())));
                }
            }
            out = sealAsOneSet(fresh);
            if (!out.isEmpty()) {
                index.commitLocal(id, out);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            commitLock.unlock();
        }
        if (!out.isEmpty()) {
            announce();
            puller.wake();
        }
    }

    /**
     * The version a local change of {@code path} gets, on top of {@code base}; empty (logged, the file is not synced,
     * the rest of the scan is) in the one case a vector cannot grow: {@link VersionVector#MAX_ENTRIES} writers.
     */
    private Optional<VersionVector> nextVersion(VersionVector base, String path) {
        try {
            return Optional.of(base.update(selfShort, nowMicros()));
        } catch (IllegalArgumentException e) {
            log.warn("Folder {}: not syncing {}: {}", id, path, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Stores records the puller put on disk. A read-write node that replaces a concurrent local version keeps the
     * winner under the merged version (see {@link Conflicts}), signed again: the loser can never come back.
     */
    void commitPulled(List<FileRecord> records) {
        if (secret.level() != AccessLevel.READ_WRITE) {
            index.commitLocal(id, records);
            return;
        }
        List<FileRecord> out = new ArrayList<>(records.size());
        for (FileRecord g : records) {
            VersionVector adopted = Conflicts.adopted(g, index.local(id, g.path()));
            out.add(adopted.equals(g.version()) ? g : resealed(g, adopted));
        }
        index.commitLocal(id, out);
    }

    /** {@code r} under {@code version}, signed anew; its content and so its ciphertext hashes are unchanged. */
    private FileRecord resealed(FileRecord r, VersionVector version) {
        return resign(r, r.withVersion(version));
    }

    /** {@code changed} (a copy of {@code r} with other version or set) signed anew; the ciphertext is the same. */
    private FileRecord resign(FileRecord r, FileRecord changed) {
        FileRecord bare = changed.withSealed(null);
        return bare.withSealed(RecordSigner.seal(secret, bare, r.sealed().encryptedBlockHashes()));
    }

    /**
     * Signs the new records of one scan commit as one change set: its id and size are signed with each member, so
     * no relaying member can split it. Records already signed (a global version found on disk) keep their own set.
     */
    private List<FileRecord> sealAsOneSet(List<FileRecord> records) {
        long fresh = records.stream().filter(r -> r.sealed() == null).count();
        long set = fresh > 1 ? java.util.concurrent.ThreadLocalRandom.current().nextLong() | 1L : 0;
        int size = fresh > 1 ? (int) fresh : 0;
        List<FileRecord> sealed = sealAll(records.stream()
                .map(r -> r.sealed() == null && size > 0 ? r.withChangeSet(set, size) : r).toList());
        long signedMembers = sealed.stream().filter(r -> set != 0 && r.changeSet() == set).count();
        if (signedMembers == size) {
            return sealed;
        }
        // Some members could not be signed (unreadable, changing): the set is the rest, signed again with its size.
        int rest = (int) signedMembers;
        return sealed.stream().map(r -> r.changeSet() != set ? r
                : resealedInSet(r, rest > 1 ? set : 0, rest > 1 ? rest : 0)).toList();
    }

    private FileRecord resealedInSet(FileRecord r, long set, int size) {
        return resign(r, r.withChangeSet(set, size));
    }

    private List<FileRecord> sealAll(List<FileRecord> records) {
        List<FileRecord> sealed = new ArrayList<>(records.size());
        for (FileRecord r : records) {
            if (r.sealed() != null) {
                sealed.add(r);
                continue;
            }
            try {
                sealed.add(sealer.seal(r));
            } catch (IllegalArgumentException e) {
                log.warn("Folder {}: not syncing {}: {}", id, r.path(), e.getMessage());
            } catch (IOException | RuntimeException e) {
                log.info("Folder {}: cannot sign {} yet ({}); will scan it again", id, r.path(), e.getMessage());
                worker.schedule(() -> requestScan(r.path()), 1, TimeUnit.SECONDS);
            }
        }
        return sealed;
    }

    /** A read-only node's edits stay here: remembered for status and {@code folder revert}, never announced. */
    private void noteLocalChanges(List<ScanChange> changes) {
        for (ScanChange change : changes) {
            Optional<FileRecord> local = index.local(id, change.path());
            if (change instanceof ScanChange.Changed c) {
                if (local.isPresent() && !local.get().deleted() && local.get().sameContent(c.record())) {
                    continue;
                }
                localChanges.put(change.path(), local.isPresent() && !local.get().deleted() ? "modified" : "added");
            } else {
                localChanges.put(change.path(), "deleted");
            }
        }
        if (!localChanges.isEmpty()) {
            log.info("Folder {}: {} local changes on this read-only node are not synced (revert them with: "
                    + "peersync folder revert {})", id, localChanges.size(), id);
        }
    }

    /** Read-only folders: puts back the global version of every locally changed path; returns how many. */
    public int revert() throws IOException {
        if (secret.level() != AccessLevel.READ_ONLY) {
            throw new IllegalStateException("only read-only folders have local changes to revert");
        }
        List<String> paths = new ArrayList<>(new java.util.TreeSet<>(localChanges.keySet()));
        commitLock.lock();
        try {
            // Children first, so a locally added directory is empty by the time it is archived.
            for (int i = paths.size() - 1; i >= 0; i--) {
                String path = paths.get(i);
                Optional<io.peersync.daemon.fs.FileMeta> disk = fs.stat(path);
                if (disk.isPresent()) {
                    if (disk.get().isDirectory()) {
                        fs.delete(path);
                    } else {
                        fs.archive(path);
                    }
                }
            }
            index.removeLocal(id, paths);
            paths.forEach(localChanges::remove);
        } finally {
            commitLock.unlock();
        }
        log.info("Folder {}: reverted {} local changes", id, paths.size());
        puller.wake();
        return paths.size();
    }

    /** The ignore rules as {@link io.peersync.daemon.ignore.IgnoredContent} asks them, as of now. */
    io.peersync.daemon.ignore.IgnoredContent.Rules contentRules() {
        return io.peersync.daemon.ignore.IgnoredContent.Rules.of(this::ignored,
                (path, directory) -> !encrypted && ignoreRules.isDeletable(path, directory));
    }

    /** True when {@code .peersyncignore} says to leave this path alone (never for encrypted folders). */
    boolean ignored(String path, boolean directory) {
        return !encrypted && ignoreRules.isIgnored(path, directory);
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

    /** After-sync hook command of this folder, or null. */
    volatile String hookCommand;
    private final HookRunner hook;

    void afterChanges(List<String> paths) {
        if (paths.contains(IgnoreFile.NAME)) {
            try {
                refreshIgnores(); // a peer's new rules apply here now, not at the next scan
            } catch (IOException e) {
                log.warn("Folder {}: cannot read {}: {}", id, IgnoreFile.NAME, e.getMessage());
            }
        }
        hook.afterChangeSet(paths);
    }

    /** Takes the rules of {@code .peersyncignore} as they are on disk now (cheap when unchanged). */
    private void refreshIgnores() throws IOException {
        IgnoreRules rules = ignoreFile.current();
        if (rules != ignoreRules) {
            rules.problems().forEach(p -> log.warn("Folder {}: {}: {}", id, IgnoreFile.NAME, p));
            ignoreRules = rules;
            puller.wake();
        }
    }

    public void setHook(String command) {
        hookCommand = command == null || command.isBlank() ? null : command;
    }

    /** The clock reading new version counters start from (see {@link VersionVector#update}). */
    long nowMicros() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    long nowNanos() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    // ---- peers --------------------------------------------------------------------------------------------------

    boolean isMember(PeerConnection connection) {
        return member(connection).isPresent();
    }

    /** Records a peer's verified proof; false when it had already proved membership on this connection. */
    boolean onMember(PeerConnection connection, AccessLevel level) {
        if (member(connection).isPresent()) {
            return false;
        }
        Member member = new Member(connection, level);
        seenMembers.put(connection.remote(), connection.address());
        members.put(connection.remote(), member);
        rejections.remove(connection.remote());
        log.info("Folder {}: peer {} is a member ({})", id, connection.remote().shortForm(), level.jsonName());
        worker.execute(() -> sendIndex(member, true));
        puller.wake();
        return true;
    }

    void onRejected(NodeId peer, String reason) {
        rejections.put(peer, reason);
    }

    void onDisconnected(PeerConnection connection) {
        members.computeIfPresent(connection.remote(), (node, m) -> m.connection == connection ? null : m);
    }

    Optional<Member> member(PeerConnection connection) {
        Member m = members.get(connection.remote());
        return m != null && m.connection == connection ? Optional.of(m) : Optional.empty();
    }

    void onIndexUpdate(PeerConnection connection, IndexUpdate update) {
        Optional<Member> member = member(connection);
        if (member.isEmpty()) {
            return; // not (yet) a proven member: ignore, reveal nothing
        }
        // A peer may send updates faster than we index them: past a few queued, stop reading from it until they are.
        PeerConnection.ReadHold hold = member.get().queuedUpdates.incrementAndGet() > MAX_QUEUED_INDEX_UPDATES
                ? connection.holdReading() : null;
        if (hold != null) {
            readHolds.add(hold);
        }
        Runnable done = () -> {
            member.get().queuedUpdates.decrementAndGet();
            if (hold != null) {
                hold.release();
                readHolds.remove(hold);
            }
        };
        try {
            remoteIndex.execute(() -> {
                try {
                    applyIndexUpdate(connection, member.get(), update);
                } catch (RuntimeException e) {
                    log.warn("Folder {}: could not store an index update from {}: {}", id,
                            connection.remote().shortForm(), e.toString(), e);
                } finally {
                    done.run();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.run(); // the folder is closing
        }
    }

    private void applyIndexUpdate(PeerConnection connection, Member member, IndexUpdate update) {
        List<FileRecord> records = update.records();
        List<FileRecord> accepted = new ArrayList<>(records.size());
        int rejected = 0;
        for (Optional<FileRecord> ok : verifyAll(member, records)) {
            if (ok.isPresent()) {
                accepted.add(ok.get());
            } else {
                rejected++;
            }
        }
        if (rejected > 0) {
            log.warn("Folder {}: rejected {} records from {} that do not carry a valid folder signature", id,
                    rejected, connection.remote().shortForm());
        }
        // Cleared before an unfinished send is stored and set after a finished one: a set whose holders are all
        // complete has no member on the way (see setSettled).
        if (!update.complete()) {
            member.indexComplete = false;
        }
        if (!accepted.isEmpty()) {
            index.applyRemote(id, connection.remote(), accepted);
        }
        if (update.complete()) {
            member.indexComplete = true;
        }
        puller.wake();
    }

    /**
     * {@link #verifyIncoming} for each record, in order. A large update (a peer's whole index) is split between this
     * thread and the hash threads: a signature check costs about half a millisecond.
     */
    private List<Optional<FileRecord>> verifyAll(Member from, List<FileRecord> records) {
        if (records.size() < PARALLEL_VERIFY_FROM || hashers == null) {
            return records.stream().map(r -> verifyIncoming(from, r)).toList();
        }
        int half = records.size() / 2;
        java.util.concurrent.Future<List<Optional<FileRecord>>> second;
        try {
            second = hashers.submit(() -> records.subList(half, records.size()).stream()
                    .map(r -> verifyIncoming(from, r)).toList());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return records.stream().map(r -> verifyIncoming(from, r)).toList(); // shutting down
        }
        List<Optional<FileRecord>> out = new ArrayList<>(records.size());
        records.subList(0, half).forEach(r -> out.add(verifyIncoming(from, r)));
        try {
            out.addAll(second.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            second.cancel(true);
            throw new IllegalStateException("interrupted while checking signatures", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("checking signatures failed", e.getCause());
        }
        return out;
    }

    /** Checks a received record's signature; returns it as this node indexes it (plain or encrypted space). */
    private Optional<FileRecord> verifyIncoming(Member from, FileRecord r) {
        if (encrypted) {
            return EncryptedView.verify(secret, id, r) ? Optional.of(r) : Optional.empty();
        }
        if (from.level == AccessLevel.ENCRYPTED) {
            return EncryptedView.open(secret, r);
        }
        try {
            return r.sealed() != null && RecordSigner.verifyPlain(secret, r, r.sealed()) ? Optional.of(r)
                    : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    void onBlockRequest(PeerConnection connection, BlockRequest request) {
        Optional<Member> member = member(connection);
        if (member.isEmpty()) {
            connection.send(io.peersync.protocol.wire.Message.BlockResponse.failed(request.id(),
                    io.peersync.protocol.wire.Message.BlockResponse.Status.NOT_FOUND));
            return;
        }
        blockServer.serve(member.get(), request);
    }

    /** Sends every local change a member has not seen yet, in frames well under the size limit. Runs on the worker. */
    private void sendIndex(Member member, boolean full) {
        if (closed || !member.connection.isActive() || members.get(member.connection.remote()) != member) {
            return;
        }
        boolean any = false;
        while (true) {
            if (!member.connection.isWritable()) {
                // The peer reads slower than we send: carry on once the socket drains, rather than queue the rest of
                // the index in memory.
                boolean stillFull = full && !any;
                if (member.resumeScheduled.compareAndSet(false, true)) {
                    worker.schedule(() -> {
                        member.resumeScheduled.set(false);
                        sendIndex(member, stillFull);
                    }, RESUME_SEND_MILLIS, TimeUnit.MILLISECONDS);
                }
                return;
            }
            List<FileRecord> page = index.localSince(id, member.sentSequence, INDEX_BATCH);
            if (page.isEmpty()) {
                break;
            }
            boolean more = page.size() == INDEX_BATCH;
            List<FileRecord> frame = new ArrayList<>();
            long bytes = 0;
            for (int i = 0; i < page.size(); i++) {
                FileRecord r = page.get(i);
                member.sentSequence = r.sequence();
                if (!encrypted && member.level == AccessLevel.ENCRYPTED) {
                    if (r.sealed() == null) {
                        continue; // never signed: nothing an encrypted node could check
                    }
                    r = EncryptedView.of(r);
                }
                // RecordCodec's sizes: a block of a file under 4 TiB takes at most 42 bytes, a version entry 16.
                long size = 256L + r.path().length() * 3L + r.target().length() * 3L + r.blocks().size() * 42L
                        + r.version().counters().size() * 16L + (r.sealed() == null ? 0
                        : r.sealed().encryptedBlockHashes().size() * 32L + r.sealed().encryptedMetadata().length);
                if (!frame.isEmpty() && bytes + size > INDEX_FRAME_BYTES) {
                    member.connection.send(new IndexUpdate(id, false, frame));
                    frame = new ArrayList<>();
                    bytes = 0;
                }
                frame.add(r);
                bytes += size;
            }
            member.connection.send(new IndexUpdate(id, !more, frame));
            any = true;
            if (!more) {
                break;
            }
        }
        if (full && !any) {
            member.connection.send(new IndexUpdate(id, true, List.of()));
        }
    }

    /** Queues sending new local changes to every member; calls in a burst coalesce into one send. */
    void announce() {
        if (!closed && announcePending.compareAndSet(false, true)) {
            worker.execute(() -> {
                announcePending.set(false);
                members.values().forEach(m -> sendIndex(m, false));
            });
        }
    }

    /**
     * True when the connected peers holding these needed members of one change set have all sent everything they
     * hold: a peer sends a set's members in one run of updates whose last one says complete, so the members still
     * missing here are ones this node does not need, or superseded. False while any holder is mid-send, or when no
     * connected peer holds them (the set waits for one that does, or for newer versions).
     */
    boolean setSettled(List<FileRecord> members) {
        Set<NodeId> holders = new java.util.HashSet<>();
        for (FileRecord g : members) {
            for (Member m : sources(g)) {
                if (!m.indexComplete) {
                    return false;
                }
                holders.add(m.connection.remote());
            }
        }
        return !holders.isEmpty();
    }

    /** Connected member peers that announced exactly this version of a file. */
    List<Member> sources(FileRecord record) {
        Set<NodeId> having = index.peersHaving(id, record);
        List<Member> out = new ArrayList<>();
        for (NodeId node : having) {
            Member m = members.get(node);
            if (m != null && m.connection.isActive()) {
                out.add(m);
            }
        }
        return out;
    }

    Optional<ContentCipher> cipher() {
        return secret.contentCipher();
    }

    /** Read-only folders: locally changed paths (they never leave this node), at most {@code limit}. */
    public List<String> localChanges(int limit) {
        return localChanges.keySet().stream().sorted().limit(limit).toList();
    }

    public int localChangeCount() {
        return localChanges.size();
    }

    // ---- status -------------------------------------------------------------------------------------------------

    void setError(String message) {
        if (!message.equals(error)) {
            log.warn("Folder {}: {}", id, message);
        }
        error = message;
    }

    void clearErrorStartingWith(String prefix) {
        String e = error;
        if (e != null && e.startsWith(prefix)) {
            log.info("Folder {}: recovered ({})", id, e);
            error = null;
        }
    }

    /** A consistent snapshot for the control API. */
    public FolderState state() {
        FolderCounts counts = withoutIgnoredNeeds(index.counts(id));
        String state;
        if (error != null) {
            state = "error";
        } else if (scanning || scansQueued.get() > 0 || !initialScanDone) {
            state = "scanning";
        } else if (puller.busy() || counts.needFiles() > 0) {
            state = "syncing";
        } else {
            state = "idle";
        }
        boolean peersComplete = members.values().stream().allMatch(m -> m.indexComplete);

        String shownError = error != null ? error : hook.lastError();
        if (shownError == null && members.isEmpty() && !rejections.isEmpty()) {
            shownError = rejections.values().iterator().next();
        }
        if (shownError == null && members.isEmpty() && connectedPeers.getAsInt() > 0
                && clock.instant().isAfter(added.plusSeconds(15))) {
            shownError = "No connected peer shares this folder: check that the secret is right.";
        }
        boolean errorFree = shownError == null || shownError.equals(hook.lastError()); // a hook never holds sync up
        boolean inSync = errorFree && initialScanDone && !scanning && scansQueued.get() == 0 && !puller.busy()
                && counts.needFiles() == 0 && puller.nothingPullable() && peersComplete && localChanges.isEmpty();
        return new FolderState(id, fs.root().toString(), secret.level(), state, counts, inSync, shownError,
                peers(), Map.copyOf(rejections),
                counters.network.get(), counters.localCopy.get(), counters.resumed.get());
    }

    /** Needed paths that are ignored here will never be pulled: they are not counted as needed. */
    private FolderCounts withoutIgnoredNeeds(FolderCounts c) {
        if (ignoreRules.isEmpty() || c.needFiles() == 0 && c.needBytes() == 0) {
            return c;
        }
        long files = 0;
        long bytes = 0;
        String after = "";
        for (int pages = 0; pages < 100; pages++) {
            List<FileRecord> page = index.need(id, after, 1000);
            for (FileRecord r : page) {
                if (!r.deleted() && r.type() == io.peersync.protocol.FileType.FILE
                        && ignored(r.path(), false)) {
                    files++;
                    bytes += r.size();
                }
                after = r.path();
            }
            if (page.size() < 1000) {
                break;
            }
        }
        return new FolderCounts(c.localFiles(), c.localBytes(), c.globalFiles(), c.globalBytes(),
                c.needFiles() - files, c.needBytes() - bytes);
    }

    private List<FolderState.Peer> peers() {
        List<FolderState.Peer> out = new ArrayList<>();
        seenMembers.forEach((node, address) -> {
            Member m = members.get(node);
            out.add(new FolderState.Peer(node, m != null ? m.connection.address() : address,
                    m != null && m.connection.isActive(), m != null ? m.level : null, m != null && m.indexComplete));
        });
        out.sort(java.util.Comparator.comparing(FolderState.Peer::node));
        return out;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
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
        // Updates never stored must not keep their connection, which other folders share, unread.
        readHolds.forEach(PeerConnection.ReadHold::release);
    }
}
