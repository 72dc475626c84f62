package io.peersync.daemon.index.rocks;

import io.peersync.daemon.index.IndexException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every native object behind one open index, and the one order in which they are released: column family
 * handles, then the database, then the options and the cache and filter they point to. RocksDB Java objects leak
 * native memory unless closed, and closing options before the database that uses them crashes the JVM.
 */
final class RocksResources implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RocksResources.class);
    /** Shared by all column families; the index is small next to the files it describes. */
    private static final long BLOCK_CACHE_BYTES = 32L << 20;
    private static final double BLOOM_BITS_PER_KEY = 10;

    private final String name;
    private final RocksDB db;
    private final Families families;
    private final WriteOptions writeOptions;
    private final List<ColumnFamilyHandle> handles;
    /** Options, cache and filter, released last-created first after the database. */
    private final Deque<AutoCloseable> options;

    private RocksResources(String name, RocksDB db, List<ColumnFamilyHandle> handles, Deque<AutoCloseable> options,
                           WriteOptions writeOptions) {
        this.name = name;
        this.db = db;
        this.handles = handles;
        this.families = Families.of(handles.subList(1, handles.size()));
        this.options = options;
        this.writeOptions = writeOptions;
    }

    static RocksResources open(String name, Path dir) {
        Deque<AutoCloseable> owned = new ArrayDeque<>();
        try {
            LRUCache cache = push(owned, new LRUCache(BLOCK_CACHE_BYTES));
            BloomFilter filter = push(owned, new BloomFilter(BLOOM_BITS_PER_KEY));
            ColumnFamilyOptions cfOptions = push(owned, new ColumnFamilyOptions()
                    .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(filter)));
            DBOptions dbOptions = push(owned, new DBOptions()
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true));
            // Default WAL, no fsync per batch: a process crash loses nothing, a power cut at most the last writes.
            WriteOptions writeOptions = push(owned, new WriteOptions());

            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
            for (String family : Families.NAMES) {
                descriptors.add(new ColumnFamilyDescriptor(family.getBytes(StandardCharsets.UTF_8), cfOptions));
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
            return new RocksResources(name, db, handles, owned, writeOptions);
        } catch (RocksDBException e) {
            closeAll(owned);
            throw new IndexException(name + ": open failed: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            closeAll(owned);
            throw e;
        }
    }

    RocksDB db() {
        return db;
    }

    Families families() {
        return families;
    }

    WriteOptions writeOptions() {
        return writeOptions;
    }

    @Override
    public void close() {
        handles.forEach(ColumnFamilyHandle::close);
        try {
            db.closeE();
        } catch (RocksDBException e) {
            throw new IndexException(name + ": close failed: " + e.getMessage(), e);
        } finally {
            closeAll(options);
        }
    }

    private static <T extends AutoCloseable> T push(Deque<AutoCloseable> owned, T resource) {
        owned.push(resource);
        return resource;
    }

    private static void closeAll(Deque<AutoCloseable> owned) {
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                log.warn("releasing a RocksDB option failed; releasing the rest", e);
            }
        }
    }
}
