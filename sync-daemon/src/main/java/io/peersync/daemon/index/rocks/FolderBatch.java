package io.peersync.daemon.index.rocks;

import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.Winner;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The writes of one commitLocal or applyRemote call on one folder, gathered into a single {@link WriteBatch}.
 * Reads see the batch's own earlier writes (a path may appear twice in one call). The caller holds the folder lock,
 * so nothing else changes the folder between the reads here and {@link #write}.
 */
final class FolderBatch implements AutoCloseable {
    private final RocksDB db;
    private final Families cf;
    private final byte[] folder;
    private final WriteBatch batch = new WriteBatch();
    private final Map<String, Optional<FileRecord>> pendingLocal = new HashMap<>();
    private final Map<String, Map<NodeId, FileRecord>> pendingRemote = new HashMap<>();
    private final TreeSet<String> touched = new TreeSet<>();

    FolderBatch(RocksDB db, Families cf, byte[] folder) {
        this.db = db;
        this.cf = cf;
        this.folder = folder;
    }

    Optional<FileRecord> local(String path) throws RocksDBException {
        Optional<FileRecord> pending = pendingLocal.get(path);
        if (pending != null) {
            return pending;
        }
        return RecordValues.optional(db.get(cf.local(), Keys.path(folder, path)));
    }

    /** Stores {@code record} (its sequence already assigned) as the local record of its path. */
    void putLocal(FileRecord record) throws RocksDBException {
        String path = record.path();
        Optional<FileRecord> old = local(path);
        if (old.isPresent()) {
            batch.delete(cf.seq(), Keys.seq(folder, old.get().sequence()));
            removeBlocks(old.get());
        }
        batch.put(cf.local(), Keys.path(folder, path), RecordValues.encode(record));
        batch.put(cf.seq(), Keys.seq(folder, record.sequence()), Keys.utf8(path));
        if (hasBlocks(record)) {
            for (BlockRef b : record.blocks()) {
                batch.put(cf.blocks(), Keys.block(folder, b.hash(), path), Keys.blockValue(b.offset(), b.size()));
            }
        }
        pendingLocal.put(path, Optional.of(record));
        touched.add(path);
    }

    /**
     * Forgets the local record of {@code path}, so the global version is needed again. When it held the highest
     * sequence, its sequence key stays as an empty placeholder so that sequence numbers never go back.
     */
    void removeLocal(String path, long highestSequence) throws RocksDBException {
        Optional<FileRecord> old = local(path);
        if (old.isEmpty()) {
            return;
        }
        batch.delete(cf.local(), Keys.path(folder, path));
        if (old.get().sequence() == highestSequence) {
            batch.put(cf.seq(), Keys.seq(folder, old.get().sequence()), new byte[0]);
        } else {
            batch.delete(cf.seq(), Keys.seq(folder, old.get().sequence()));
        }
        removeBlocks(old.get());
        pendingLocal.put(path, Optional.empty());
        touched.add(path);
    }

    Optional<FileRecord> remote(NodeId peer, String path) throws RocksDBException {
        FileRecord pending = pendingRemote.getOrDefault(path, Map.of()).get(peer);
        if (pending != null) {
            return Optional.of(pending);
        }
        return RecordValues.optional(db.get(cf.remote(), Keys.remote(folder, path, peer)));
    }

    void putRemote(NodeId peer, FileRecord record) throws RocksDBException {
        batch.put(cf.remote(), Keys.remote(folder, record.path(), peer), RecordValues.encode(record));
        pendingRemote.computeIfAbsent(record.path(), p -> new HashMap<>()).put(peer, record);
        touched.add(record.path());
    }

    /** Recomputes global and need of every touched path, then writes the whole batch atomically. */
    void write(WriteOptions options) throws RocksDBException {
        for (String path : touched) {
            refreshGlobal(path);
        }
        db.write(options, batch);
    }

    /**
     * Global is recomputed from all candidates rather than compared with the old global only, so that it never
     * keeps a version that no node announces any more (a peer may replace its record with a concurrent one that
     * loses the conflict). Local goes first, so on equal versions the local record is the global one.
     */
    private void refreshGlobal(String path) throws RocksDBException {
        FileRecord local = local(path).orElse(null);
        FileRecord winner = local;
        for (FileRecord remote : remotes(path).values()) {
            if (winner == null || Winner.replaces(remote, winner)) {
                winner = remote;
            }
        }
        byte[] key = Keys.path(folder, path);
        if (winner == null) {
            batch.delete(cf.global(), key);
            batch.delete(cf.need(), key);
            return;
        }
        batch.put(cf.global(), key, RecordValues.encode(winner));
        if (needs(local, winner)) {
            batch.put(cf.need(), key, new byte[0]);
        } else {
            batch.delete(cf.need(), key);
        }
    }

    static boolean needs(FileRecord local, FileRecord global) {
        if (local == null) {
            return !global.deleted();
        }
        // Equal versions of different content (a reissued counter) are needed too: never in sync over them.
        return !local.version().equals(global.version()) || !local.sameContent(global);
    }

    /** Every peer's record of {@code path}, in peer order so that the winner does not depend on arrival order. */
    private TreeMap<NodeId, FileRecord> remotes(String path) {
        TreeMap<NodeId, FileRecord> all = new TreeMap<>();
        byte[] prefix = Keys.remotePrefix(folder, path);
        try (RocksIterator it = db.newIterator(cf.remote())) {
            for (it.seek(prefix); it.isValid() && Keys.hasPrefix(it.key(), prefix); it.next()) {
                all.put(Keys.peerOf(it.key()), RecordValues.decode(it.value()));
            }
        }
        all.putAll(pendingRemote.getOrDefault(path, Map.of()));
        return all;
    }

    private void removeBlocks(FileRecord old) throws RocksDBException {
        if (hasBlocks(old)) {
            for (BlockRef b : old.blocks()) {
                batch.delete(cf.blocks(), Keys.block(folder, b.hash(), old.path()));
            }
        }
    }

    private static boolean hasBlocks(FileRecord r) {
        return r.type() == FileType.FILE && !r.deleted();
    }

    @Override
    public void close() {
        batch.close();
    }
}
