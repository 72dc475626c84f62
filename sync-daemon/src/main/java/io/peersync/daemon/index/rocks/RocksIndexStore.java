package io.peersync.daemon.index.rocks;

import com.google.common.util.concurrent.Striped;
import io.peersync.daemon.index.BlockLocation;
import io.peersync.daemon.index.FolderCounts;
import io.peersync.daemon.index.IndexException;
import io.peersync.daemon.index.IndexStore;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.Winner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * {@link IndexStore} in one RocksDB database with a column family per concern; key layouts are in
 * sync-daemon/INDEX.md. Writes to one folder are serialised by a per-folder lock; reads that span several keys
 * use a snapshot. No iterator outlives the call that opened it, and {@link #close} waits for running calls.
 */
public final class RocksIndexStore implements IndexStore {
    private static final int FOLDER_LOCK_STRIPES = 64;

    static {
        RocksDB.loadLibrary();
    }

    private final String name;
    private final RocksResources resources;
    private final RocksDB db;
    private final Families cf;
    private final WriteOptions writeOptions;
    private final Striped<Lock> folderLocks = Striped.lock(FOLDER_LOCK_STRIPES);
    private final ReadWriteLock lifetime = new ReentrantReadWriteLock();
    private boolean closed;

    private RocksIndexStore(String name, RocksResources resources) {
        this.name = name;
        this.resources = resources;
        this.db = resources.db();
        this.cf = resources.families();
        this.writeOptions = resources.writeOptions();
    }

    /** Opens the index in {@code dir}, creating the directory, database and column families when missing. */
    public static RocksIndexStore open(Path dir) {
        String name = "index " + dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IndexException(name + ": cannot create directory", e);
        }
        return new RocksIndexStore(name, RocksResources.open(name, dir));
    }

    // ---- local --------------------------------------------------------------------------------------------

    @Override
    public Optional<FileRecord> local(FolderId folder, String path) {
        return read("local", () -> RecordValues.optional(db.get(cf.local(), Keys.path(folder.bytes(), path))));
    }

    @Override
    public List<FileRecord> commitLocal(FolderId folder, List<FileRecord> records) {
        return write("commitLocal", folder, () -> {
            long next = lastSequence(folder.bytes()) + 1;
            List<FileRecord> stored = new ArrayList<>(records.size());
            try (FolderBatch batch = new FolderBatch(db, cf, folder.bytes())) {
                for (FileRecord r : records) {
                    FileRecord withSeq = r.withSequence(next++);
                    batch.putLocal(withSeq);
                    stored.add(withSeq);
                }
                batch.write(writeOptions);
            }
            return List.copyOf(stored);
        });
    }

    @Override
    public void removeLocal(FolderId folder, java.util.Collection<String> paths) {
        write("removeLocal", folder, () -> {
            long highest = lastSequence(folder.bytes());
            try (FolderBatch batch = new FolderBatch(db, cf, folder.bytes())) {
                for (String path : paths) {
                    batch.removeLocal(path, highest);
                }
                batch.write(writeOptions);
            }
            return null;
        });
    }

    @Override
    public List<FileRecord> localSince(FolderId folder, long after, int limit) {
        checkLimit(limit);
        return read("localSince", () -> withSnapshot(options -> {
            byte[] f = folder.bytes();
            List<FileRecord> out = new ArrayList<>(Math.min(limit, 1024));
            try (RocksIterator it = db.newIterator(cf.seq(), options)) {
                for (it.seek(Keys.seq(f, Math.max(after, 0) + 1));
                     out.size() < limit && it.isValid() && Keys.hasPrefix(it.key(), f); it.next()) {
                    if (it.value().length == 0) {
                        continue; // placeholder of a removed record: keeps the sequence from going back
                    }
                    String path = new String(it.value(), StandardCharsets.UTF_8);
                    byte[] value = db.get(cf.local(), options, Keys.path(f, path));
                    if (value == null) {
                        throw new IndexException("sequence " + Keys.seqOf(it.key()) + " names " + path
                                + " which has no local record", null);
                    }
                    out.add(RecordValues.decode(value));
                }
            }
            return out;
        }));
    }

    @Override
    public void forEachLocal(FolderId folder, Consumer<FileRecord> action) {
        read("forEachLocal", () -> {
            byte[] f = folder.bytes();
            try (RocksIterator it = db.newIterator(cf.local())) {
                for (it.seek(f); it.isValid() && Keys.hasPrefix(it.key(), f); it.next()) {
                    action.accept(RecordValues.decode(it.value()));
                }
            }
            return null;
        });
    }

    @Override
    public long localSequence(FolderId folder) {
        return read("localSequence", () -> lastSequence(folder.bytes()));
    }

    /** The newest sequence entry is never deleted (only older ones of the same path are), so it is the counter. */
    private long lastSequence(byte[] folder) {
        try (RocksIterator it = db.newIterator(cf.seq())) {
            it.seekForPrev(Keys.seq(folder, -1L));
            return it.isValid() && Keys.hasPrefix(it.key(), folder) ? Keys.seqOf(it.key()) : 0;
        }
    }

    // ---- remote -------------------------------------------------------------------------------------------

    @Override
    public void applyRemote(FolderId folder, NodeId peer, List<FileRecord> records) {
        Objects.requireNonNull(peer, "peer");
        write("applyRemote", folder, () -> {
            try (FolderBatch batch = new FolderBatch(db, cf, folder.bytes())) {
                for (FileRecord r : records) {
                    Optional<FileRecord> stored = batch.remote(peer, r.path());
                    if (stored.isEmpty() || r.version().isNewerOrConcurrent(stored.get().version())
                            || Winner.reissued(r, stored.get())) {
                        batch.putRemote(peer, r);
                    }
                }
                batch.write(writeOptions);
            }
            return null;
        });
    }

    @Override
    public Optional<FileRecord> remote(FolderId folder, NodeId peer, String path) {
        return read("remote",
                () -> RecordValues.optional(db.get(cf.remote(), Keys.remote(folder.bytes(), path, peer))));
    }

    @Override
    public Set<NodeId> peersHaving(FolderId folder, FileRecord record) {
        return read("peersHaving", () -> {
            Set<NodeId> peers = new TreeSet<>();
            byte[] prefix = Keys.remotePrefix(folder.bytes(), record.path());
            try (RocksIterator it = db.newIterator(cf.remote())) {
                for (it.seek(prefix); it.isValid() && Keys.hasPrefix(it.key(), prefix); it.next()) {
                    FileRecord r = RecordValues.decode(it.value());
                    if (r.version().equals(record.version()) && r.sameContent(record)) {
                        peers.add(Keys.peerOf(it.key()));
                    }
                }
            }
            return peers;
        });
    }

    // ---- global and need ------------------------------------------------------------------------------------

    @Override
    public Optional<FileRecord> global(FolderId folder, String path) {
        return read("global", () -> RecordValues.optional(db.get(cf.global(), Keys.path(folder.bytes(), path))));
    }

    @Override
    public List<FileRecord> need(FolderId folder, String afterPath, int limit) {
        checkLimit(limit);
        return read("need", () -> withSnapshot(options -> {
            byte[] f = folder.bytes();
            byte[] after = Keys.path(f, afterPath);
            List<FileRecord> out = new ArrayList<>(Math.min(limit, 1024));
            try (RocksIterator it = db.newIterator(cf.need(), options)) {
                for (it.seek(after); out.size() < limit && it.isValid() && Keys.hasPrefix(it.key(), f); it.next()) {
                    if (!afterPath.isEmpty() && Arrays.equals(it.key(), after)) {
                        continue;
                    }
                    out.add(globalOf(options, it.key()));
                }
            }
            return out;
        }));
    }

    @Override
    public FolderCounts counts(FolderId folder) {
        return read("counts", () -> withSnapshot(options -> {
            byte[] f = folder.bytes();
            long[] local = tally(cf.local(), options, f);
            long[] global = tally(cf.global(), options, f);
            long needFiles = 0;
            long needBytes = 0;
            try (RocksIterator it = db.newIterator(cf.need(), options)) {
                for (it.seek(f); it.isValid() && Keys.hasPrefix(it.key(), f); it.next()) {
                    FileRecord r = globalOf(options, it.key());
                    if (countable(r)) {
                        needFiles++;
                        needBytes += r.size();
                    }
                }
            }
            return new FolderCounts(local[0], local[1], global[0], global[1], needFiles, needBytes);
        }));
    }

    private long[] tally(ColumnFamilyHandle family, ReadOptions options, byte[] folder) {
        long[] filesAndBytes = new long[2];
        try (RocksIterator it = db.newIterator(family, options)) {
            for (it.seek(folder); it.isValid() && Keys.hasPrefix(it.key(), folder); it.next()) {
                FileRecord r = RecordValues.decode(it.value());
                if (countable(r)) {
                    filesAndBytes[0]++;
                    filesAndBytes[1] += r.size();
                }
            }
        }
        return filesAndBytes;
    }

    private static boolean countable(FileRecord r) {
        return r.type() == FileType.FILE && !r.deleted();
    }

    private FileRecord globalOf(ReadOptions options, byte[] needKey) throws RocksDBException {
        byte[] value = db.get(cf.global(), options, needKey);
        if (value == null) {
            throw new IndexException("need entry " + Keys.pathOf(needKey) + " has no global record", null);
        }
        return RecordValues.decode(value);
    }

    // ---- blocks -------------------------------------------------------------------------------------------------

    @Override
    public Optional<BlockLocation> findBlock(FolderId folder, Hash hash) {
        return read("findBlock", () -> {
            byte[] prefix = Keys.blockPrefix(folder.bytes(), hash);
            try (RocksIterator it = db.newIterator(cf.blocks())) {
                it.seek(prefix);
                if (!it.isValid() || !Keys.hasPrefix(it.key(), prefix)) {
                    return Optional.<BlockLocation>empty();
                }
                ByteBuffer value = ByteBuffer.wrap(it.value());
                return Optional.of(new BlockLocation(Keys.blockPathOf(it.key()), value.getLong(), value.getInt()));
            }
        });
    }

    // ---- folder lifetime and meta ----------------------------------------------------------------------------

    /** Also drops meta keys that start with the folder id's text: that is how per-folder meta is named. */
    @Override
    public void dropFolder(FolderId folder) {
        write("dropFolder", folder, () -> {
            try (WriteBatch batch = new WriteBatch()) {
                for (ColumnFamilyHandle family : cf.folderKeyed()) {
                    deletePrefix(batch, family, folder.bytes());
                }
                deletePrefix(batch, cf.meta(), Keys.utf8(folder.value()));
                db.write(writeOptions, batch);
            }
            return null;
        });
    }

    private void deletePrefix(WriteBatch batch, ColumnFamilyHandle family, byte[] prefix) throws RocksDBException {
        byte[] end = Keys.prefixEnd(prefix);
        if (end != null) {
            batch.deleteRange(family, prefix, end);
            return;
        }
        try (RocksIterator it = db.newIterator(family)) {
            for (it.seek(prefix); it.isValid() && Keys.hasPrefix(it.key(), prefix); it.next()) {
                batch.delete(family, it.key());
            }
        }
    }

    @Override
    public Optional<byte[]> meta(String key) {
        return read("meta", () -> Optional.ofNullable(db.get(cf.meta(), Keys.utf8(key))));
    }

    @Override
    public void putMeta(String key, byte[] value) {
        Objects.requireNonNull(value, "value");
        read("putMeta", () -> {
            db.put(cf.meta(), writeOptions, Keys.utf8(key), value);
            return null;
        });
    }

    /** Waits for running calls, then releases native memory; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        Lock lock = lifetime.writeLock();
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                resources.close();
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private interface RocksCall<T> {
        T run() throws RocksDBException;
    }

    private interface SnapshotCall<T> {
        T run(ReadOptions options) throws RocksDBException;
    }

    private <T> T read(String operation, RocksCall<T> call) {
        Lock lock = lifetime.readLock();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException(name + ": " + operation + " after close");
            }
            return call.run();
        } catch (RocksDBException e) {
            throw new IndexException(name + ": " + operation + " failed: " + e.getMessage(), e);
        } catch (IndexException e) {
            throw new IndexException(name + ": " + operation + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private <T> T write(String operation, FolderId folder, RocksCall<T> call) {
        Lock lock = folderLocks.get(folder);
        lock.lock();
        try {
            return read(operation + " of " + folder, call);
        } finally {
            lock.unlock();
        }
    }

    /** Multi-key reads see one point in time, so a concurrent commit cannot split, say, need from global. */
    private <T> T withSnapshot(SnapshotCall<T> call) throws RocksDBException {
        Snapshot snapshot = db.getSnapshot();
        try (ReadOptions options = new ReadOptions().setSnapshot(snapshot)) {
            return call.run(options);
        } finally {
            db.releaseSnapshot(snapshot);
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
