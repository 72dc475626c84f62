package io.peersync.daemon.scan;

import io.peersync.daemon.fs.FolderFs;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.function.BiPredicate;

/**
 * What a {@link Scanner} scans and against what: the folder, the index's view of it, the ignore rules, how results
 * are batched and where files are hashed. Build with {@link #builder}.
 */
public final class ScanConfig {
    public static final int DEFAULT_BATCH_ENTRIES = 1000;
    public static final long DEFAULT_BATCH_HASHED_BYTES = 64L * 1024 * 1024;

    private final FolderFs fs;
    private final LocalLookup lookup;
    private final KnownFiles known;
    private final BiPredicate<String, Boolean> ignored;
    private final int batchEntries;
    private final long batchHashedBytes;
    private final ExecutorService hashers;
    private final int hashParallelism;

    private ScanConfig(Builder b) {
        this.fs = b.fs;
        this.lookup = b.lookup;
        this.known = b.known;
        this.ignored = b.ignored;
        this.batchEntries = b.batchEntries;
        this.batchHashedBytes = b.batchHashedBytes;
        this.hashers = b.hashers;
        this.hashParallelism = b.hashParallelism;
    }

    public static Builder builder(FolderFs fs, LocalLookup lookup, KnownFiles known) {
        return new Builder(fs, lookup, known);
    }

    public FolderFs fs() {
        return fs;
    }

    public LocalLookup lookup() {
        return lookup;
    }

    public KnownFiles known() {
        return known;
    }

    public BiPredicate<String, Boolean> ignored() {
        return ignored;
    }

    public int batchEntries() {
        return batchEntries;
    }

    public long batchHashedBytes() {
        return batchHashedBytes;
    }

    /** Where files are hashed; null to hash on the thread calling {@link Scanner#scan}. */
    public ExecutorService hashers() {
        return hashers;
    }

    public int hashParallelism() {
        return hashParallelism;
    }

    /** Builds a {@link ScanConfig}. */
    public static final class Builder {
        private final FolderFs fs;
        private final LocalLookup lookup;
        private final KnownFiles known;
        private BiPredicate<String, Boolean> ignored = (path, directory) -> false;
        private int batchEntries = DEFAULT_BATCH_ENTRIES;
        private long batchHashedBytes = DEFAULT_BATCH_HASHED_BYTES;
        private ExecutorService hashers;
        private int hashParallelism = 1;

        private Builder(FolderFs fs, LocalLookup lookup, KnownFiles known) {
            this.fs = Objects.requireNonNull(fs, "fs");
            this.lookup = Objects.requireNonNull(lookup, "lookup");
            this.known = Objects.requireNonNull(known, "known");
        }

        /**
         * Paths to leave alone: not reported, not descended into, never reported deleted. Called with the path and
         * whether it is a directory (rules such as {@code cache/} match directories only).
         */
        public Builder ignored(BiPredicate<String, Boolean> ignored) {
            this.ignored = Objects.requireNonNull(ignored, "ignored");
            return this;
        }

        /** A batch goes to the sink once it has this many changes. */
        public Builder batchEntries(int entries) {
            if (entries <= 0) {
                throw new IllegalArgumentException("batchEntries: " + entries + " (expected: > 0)");
            }
            this.batchEntries = entries;
            return this;
        }

        /** A batch goes to the sink once its changed files add up to this many bytes. */
        public Builder batchHashedBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("batchHashedBytes: " + bytes + " (expected: > 0)");
            }
            this.batchHashedBytes = bytes;
            return this;
        }

        /** Hashes up to {@code parallelism} files at once on {@code executor}, which the caller owns and shuts down. */
        public Builder hashers(ExecutorService executor, int parallelism) {
            if (parallelism <= 0) {
                throw new IllegalArgumentException("parallelism: " + parallelism + " (expected: > 0)");
            }
            this.hashers = Objects.requireNonNull(executor, "executor");
            this.hashParallelism = parallelism;
            return this;
        }

        public ScanConfig build() {
            return new ScanConfig(this);
        }
    }
}
