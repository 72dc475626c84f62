package io.peersync.daemon.engine;

import io.peersync.daemon.fs.FolderFs;
import io.peersync.daemon.index.IndexStore;
import io.peersync.daemon.scan.ScanChange;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.secret.AccessLevel;
import io.peersync.protocol.secret.FolderSecret;
import io.peersync.protocol.secret.RecordSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what this node has on disk into its records: local changes a scan found become new versions, signed as one
 * change set; versions the puller put on disk are stored as they came, or under the merged vector after a conflict.
 * Every commit is one index write under the folder's commit lock.
 */
final class LocalCommits {
    private static final Logger log = LoggerFactory.getLogger(LocalCommits.class);

    private final FolderId id;
    private final FolderSecret secret;
    private final FolderFs fs;
    private final IndexStore index;
    private final long self;
    private final Clock clock;
    private final Lock commitLock;
    /** Read-write folders sign what they change; null otherwise. */
    private final Sealer sealer;
    private final Consumer<String> rescanSoon;
    private final Runnable committed;

    /**
     * {@code rescanSoon} scans a path again shortly (it could not be signed yet); {@code committed} runs after new
     * local versions were stored (announce them, wake the puller).
     */
    LocalCommits(FolderSecret secret, FolderFs fs, IndexStore index, long self, Clock clock, Lock commitLock,
                 ExecutorService hashers, Consumer<String> rescanSoon, Runnable committed) {
        this.id = secret.folderId();
        this.secret = secret;
        this.fs = fs;
        this.index = index;
        this.self = self;
        this.clock = clock;
        this.commitLock = commitLock;
        this.sealer = secret.level() == AccessLevel.READ_WRITE ? new Sealer(secret, fs, hashers, 2) : null;
        this.rescanSoon = rescanSoon;
        this.committed = committed;
    }

    /** Turns a batch of scanned differences (of a read-write folder) into new local versions, then tells peers. */
    void commitScan(List<ScanChange> changes) {
        List<FileRecord> out;
        commitLock.lock();
        try {
            List<FileRecord> fresh = new ArrayList<>();
            for (ScanChange change : changes) {
                Optional<FileRecord> local = index.local(id, change.path());
                if (change instanceof ScanChange.Changed changed) {
                    changedVersion(changed.record(), local).ifPresent(fresh::add);
                } else if (local.isPresent() && !local.get().deleted() && fs.stat(change.path()).isEmpty()) {
                    FileRecord known = local.get();
                    nextVersion(known.version(), known.path())
                            .ifPresent(v -> fresh.add(known.asDeleted(v, 0, self, nowNanos())));
                }
            }
            out = sealAsOneSet(fresh);
            if (!out.isEmpty()) {
                index.commitLocal(id, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            commitLock.unlock();
        }
        if (!out.isEmpty()) {
            committed.run();
        }
    }

    /** The record a changed file gets, unsigned unless it is a signed global version; empty if nothing changed. */
    private Optional<FileRecord> changedVersion(FileRecord r, Optional<FileRecord> local) {
        if (local.isPresent() && !local.get().deleted() && local.get().sameContent(r)) {
            return Optional.empty(); // a pull put exactly this in place since the scanner looked
        }
        Optional<FileRecord> global = index.global(id, r.path());
        if (global.isPresent() && !global.get().deleted() && global.get().sameContent(r)
                && global.get().sealed() != null) {
            return global; // the global version is on disk already (e.g. after a crash mid-burst)
        }
        VersionVector base = local.map(FileRecord::version).orElseGet(() -> global
                .filter(FileRecord::deleted).map(FileRecord::version).orElse(VersionVector.EMPTY));
        return nextVersion(base, r.path()).map(v -> new FileRecord(r.path(), r.type(), r.size(), r.mtimeNanos(),
                r.mode(), v, false, 0, self, r.blockSize(), r.blocks(), r.fileHash(), r.target()));
    }

    /**
     * The version a local change of {@code path} gets, on top of {@code base}; empty (logged, the file is not synced,
     * the rest of the scan is) in the one case a vector cannot grow: {@link VersionVector#MAX_ENTRIES} writers.
     */
    private Optional<VersionVector> nextVersion(VersionVector base, String path) {
        try {
            return Optional.of(base.update(self, nowMicros()));
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
        if (sealer == null) {
            index.commitLocal(id, records);
            return;
        }
        List<FileRecord> out = new ArrayList<>(records.size());
        for (FileRecord g : records) {
            VersionVector adopted = Conflicts.adopted(g, index.local(id, g.path()));
            out.add(adopted.equals(g.version()) ? g : resign(g, g.withVersion(adopted)));
        }
        index.commitLocal(id, out);
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
        long set = fresh > 1 ? ThreadLocalRandom.current().nextLong() | 1L : 0;
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
                : resign(r, r.withChangeSet(rest > 1 ? set : 0, rest > 1 ? rest : 0))).toList();
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
                rescanSoon.accept(r.path());
            }
        }
        return sealed;
    }

    /** The clock reading new version counters start from (see {@link VersionVector#update}). */
    private long nowMicros() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
