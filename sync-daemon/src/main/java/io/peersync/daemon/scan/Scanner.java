package io.peersync.daemon.scan;

import io.peersync.daemon.ignore.IgnoredContent;

import io.peersync.daemon.fs.FileMeta;
import io.peersync.daemon.fs.FolderFs;
import io.peersync.daemon.fs.SymlinkTargets;
import io.peersync.daemon.fs.UnsafePathException;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.FolderPath;
import io.peersync.protocol.VersionVector;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds what changed in a folder on disk compared to what the index knows, without knowing the index: it asks a
 * {@link LocalLookup} and a {@link KnownFiles}, and hands {@link ScanChange} batches to a sink. A file whose type,
 * size, mtime and mode match its record is not read again. Not thread-safe: one scan at a time per instance.
 */
public final class Scanner {
    private static final Logger log = LoggerFactory.getLogger(Scanner.class);

    private final ScanConfig config;
    private final FolderFs fs;
    private final FileHasher hasher;
    private final LongAdder hashedBytes = new LongAdder();
    private final Queue<byte[]> buffers = new ConcurrentLinkedQueue<>();

    public Scanner(ScanConfig config) {
        this.config = config;
        this.fs = config.fs();
        this.hasher = new FileHasher(fs);
    }

    /** Bytes read for hashing by this scanner since it was made. */
    public long hashedBytes() {
        return hashedBytes.sum();
    }

    /** Scans the whole folder. */
    public ScanStats scan(Consumer<List<ScanChange>> sink) throws IOException {
        return scan("", sink);
    }

    /**
     * Scans {@code subtree} ("" for the whole folder) and checks that its parent directories still exist; when one
     * is gone the scan widens to it, so that its deletion is found. Batches reach {@code sink} on this thread; an
     * exception from the sink ends the scan.
     *
     * @throws IOException when the folder marker is missing (nothing is reported then) or the walk fails
     */
    public ScanStats scan(String subtree, Consumer<List<ScanChange>> sink) throws IOException {
        fs.checkMarker();
        Run run = new Run(sink);
        try {
            String start = subtree.isEmpty() ? "" : FolderPath.validate(subtree);
            if (!start.isEmpty()) {
                for (String ancestor : ancestors(start)) {
                    if (config.ignored().test(ancestor, true)) {
                        return run.stats();
                    }
                    Optional<FileMeta> meta = fs.stat(ancestor);
                    if (meta.isEmpty() || !meta.get().isDirectory()) {
                        start = ancestor;
                        break;
                    }
                    run.consider(ancestor, meta.get());
                }
                if (config.ignored().test(start, fs.stat(start).map(FileMeta::isDirectory).orElse(false))) {
                    return run.stats();
                }
            }
            fs.walk(start, new FolderFs.Visitor() {
                @Override
                public boolean visit(String path, FileMeta meta) throws IOException {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("scan of " + fs.root() + ": interrupted");
                    }
                    if (config.ignored().test(path, meta.isDirectory())) {
                        return false;
                    }
                    run.consider(path, meta);
                    return true;
                }

                @Override
                public void failed(String path, IOException error) {
                    run.error(path, error);
                }
            });
            run.drainAll();
            run.findDeletions(start);
            run.flush();
            return run.stats();
        } finally {
            run.cancelPending();
        }
    }

    /** A file (or not) is unchanged when what sync carries of it is the same; see the cases for why. */
    /** A deleted directory still on disk with nothing in it but what is ignored here (see {@link IgnoredContent}). */
    private boolean keptForIgnored(String path) throws IOException {
        return IgnoredContent.survey(fs.root().resolve(path), path,
                IgnoredContent.Rules.of(config.ignored(), (p, directory) -> false)) != IgnoredContent.Left.SYNCED_CONTENT;
    }

    private static boolean unchanged(FileRecord known, FileMeta meta) {
        if (known.deleted() || known.type() != meta.type()) {
            return false;
        }
        return switch (meta.type()) {
            case FILE -> known.size() == meta.size() && known.mtimeNanos() == meta.mtimeNanos()
                    && known.mode() == meta.mode();
            // A directory's mtime moves whenever a child comes or goes: not a change of the directory itself.
            case DIRECTORY -> known.mode() == meta.mode();
            // Link permissions and times carry nothing on Linux; only the target matters.
            case SYMLINK -> known.target().equals(meta.symlinkTarget());
        };
    }

    private static FileRecord metaRecord(String path, FileMeta meta) {
        return new FileRecord(path, meta.type(), 0, meta.mtimeNanos(), meta.mode(), VersionVector.EMPTY, false, 0, 0,
                0, List.of(), null, meta.isSymlink() ? meta.symlinkTarget() : "");
    }

    /** What finding one entry led to: a change to report, or nothing (unchanged, changing, unreadable). */
    private record Outcome(ScanChange change, long hashed) {
        static final Outcome NONE = new Outcome(null, 0);
    }

    /** The state of one scan: ordered pending results, the batch being filled, the counters. */
    private final class Run {
        private final Consumer<List<ScanChange>> sink;
        private final Deque<CompletableFuture<Outcome>> pending = new ArrayDeque<>();
        private final int maxPending = config.hashers() == null ? 0 : config.hashParallelism();
        private List<ScanChange> batch = new ArrayList<>();
        private long batchBytes;
        private long walked;
        private long changed;
        private long deleted;
        private final long hashedAtStart = hashedBytes.sum();
        private final Set<String> retry = Collections.synchronizedSet(new LinkedHashSet<>());
        private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

        Run(Consumer<List<ScanChange>> sink) {
            this.sink = sink;
        }

        void consider(String path, FileMeta meta) throws IOException {
            walked++;
            Optional<FileRecord> known = config.lookup().local(path);
            if (known.isPresent() && unchanged(known.get(), meta)) {
                return;
            }
            if (meta.isDirectory() && known.isPresent() && known.get().deleted() && keptForIgnored(path)) {
                return; // deleted on the peers, kept here for the ignored files in it: not a new directory
            }
            switch (meta.type()) {
                case DIRECTORY -> add(CompletableFuture.completedFuture(
                        new Outcome(new ScanChange.Changed(metaRecord(path, meta)), 0)));
                case SYMLINK -> {
                    try {
                        SymlinkTargets.resolveInside(path, meta.symlinkTarget());
                    } catch (UnsafePathException e) {
                        log.warn("{}: not syncing {}", fs.root(), e.getMessage());
                        return;
                    }
                    add(CompletableFuture.completedFuture(new Outcome(new ScanChange.Changed(metaRecord(path, meta)), 0)));
                }
                case FILE -> {
                    if (meta.size() > FileHasher.MAX_FILE_SIZE) {
                        log.warn("{}: not syncing {}: {} bytes is more than the largest file a record can describe "
                                + "({} bytes)", fs.root(), FolderPath.printable(path), meta.size(),
                                FileHasher.MAX_FILE_SIZE);
                        return;
                    }
                    FileRecord k = known.orElse(null);
                    if (k != null && !k.deleted() && k.type() == FileType.FILE && k.size() == meta.size()
                            && k.mtimeNanos() == meta.mtimeNanos()) {
                        // Only the mode changed: the content is the one already hashed.
                        add(CompletableFuture.completedFuture(new Outcome(new ScanChange.Changed(new FileRecord(path,
                                FileType.FILE, k.size(), k.mtimeNanos(), meta.mode(), VersionVector.EMPTY, false, 0, 0,
                                k.blockSize(), k.blocks(), k.fileHash(), "")), 0)));
                    } else if (config.hashers() == null) {
                        add(CompletableFuture.completedFuture(hash(path, meta)));
                    } else {
                        add(CompletableFuture.supplyAsync(() -> hash(path, meta), config.hashers()));
                    }
                }
            }
        }

        private Outcome hash(String path, FileMeta meta) {
            byte[] buffer = buffers.poll();
            if (buffer == null) {
                buffer = new byte[FileHasher.BUFFER_SIZE];
            }
            try {
                Optional<FileRecord> record = hasher.hash(path, meta, buffer, hashedBytes);
                if (record.isEmpty()) {
                    log.debug("{}: {} changed while being hashed; will retry", fs.root(), path);
                    retry.add(path);
                    return Outcome.NONE;
                }
                return new Outcome(new ScanChange.Changed(record.get()), meta.size());
            } catch (InterruptedIOException e) {
                throw new UncheckedIOException(e);
            } catch (IOException e) {
                error(path, e);
                return Outcome.NONE;
            } finally {
                buffers.offer(buffer);
            }
        }

        void error(String path, IOException e) {
            log.warn("{}: cannot scan {}: {}", fs.root(), path, e.toString());
            errors.add(path + ": " + e.getMessage());
        }

        private void add(CompletableFuture<Outcome> outcome) throws IOException {
            pending.addLast(outcome);
            while (!pending.isEmpty() && (pending.size() > maxPending || pending.peekFirst().isDone())) {
                take(pending.pollFirst());
            }
        }

        void drainAll() throws IOException {
            while (!pending.isEmpty()) {
                take(pending.pollFirst());
            }
        }

        private void take(CompletableFuture<Outcome> future) throws IOException {
            Outcome outcome;
            try {
                outcome = future.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof UncheckedIOException u) {
                    throw u.getCause();
                }
                throw e;
            }
            if (outcome.change() != null) {
                changed++;
                emit(outcome.change(), outcome.hashed());
            }
        }

        void findDeletions(String start) throws IOException {
            List<FileRecord> gone = new ArrayList<>();
            // Collected first, reported after: the sink may write to the store that is being iterated.
            config.known().forEach(record -> {
                String path = record.path();
                if (record.deleted() || !isUnder(path, start) || config.ignored().test(path,
                        record.type() == io.peersync.protocol.FileType.DIRECTORY)) {
                    return;
                }
                try {
                    if (fs.stat(path).isEmpty()) {
                        gone.add(record);
                    }
                } catch (IOException e) {
                    error(path, e);
                }
            });
            for (FileRecord record : gone) {
                deleted++;
                emit(new ScanChange.Deleted(record), 0);
            }
        }

        private void emit(ScanChange change, long bytes) {
            batch.add(change);
            batchBytes += bytes;
            if (batch.size() >= config.batchEntries() || batchBytes >= config.batchHashedBytes()) {
                flush();
            }
        }

        void flush() {
            if (!batch.isEmpty()) {
                List<ScanChange> full = List.copyOf(batch);
                batch = new ArrayList<>();
                batchBytes = 0;
                sink.accept(full);
            }
        }

        void cancelPending() {
            pending.forEach(f -> f.cancel(true));
            pending.clear();
        }

        ScanStats stats() {
            return new ScanStats(walked, changed, deleted, hashedBytes.sum() - hashedAtStart, retry, errors);
        }
    }

    /** "a", "a/b" for "a/b/c". */
    private static List<String> ancestors(String path) {
        List<String> result = new ArrayList<>();
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            result.add(path.substring(0, slash));
        }
        return result;
    }

    private static boolean isUnder(String path, String start) {
        return start.isEmpty() || path.equals(start) || path.startsWith(start + "/");
    }
}
