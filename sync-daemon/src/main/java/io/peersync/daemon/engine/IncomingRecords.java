package io.peersync.daemon.engine;

import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.secret.AccessLevel;
import io.peersync.protocol.secret.FolderSecret;
import io.peersync.protocol.secret.RecordSigner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * Checks the folder signature of every record a peer sends, and gives it as this node indexes it: in plain space,
 * or in encrypted space on an encrypted node. A record without a valid signature is dropped.
 */
final class IncomingRecords {
    /** Updates with at least this many records have their signatures checked on two threads. */
    static final int PARALLEL_VERIFY_FROM = 64;

    private final FolderSecret secret;
    private final FolderId id;
    private final boolean encrypted;
    private final ExecutorService hashers;

    IncomingRecords(FolderSecret secret, ExecutorService hashers) {
        this.secret = secret;
        this.id = secret.folderId();
        this.encrypted = secret.level() == AccessLevel.ENCRYPTED;
        this.hashers = hashers;
    }

    /**
     * {@link #verify} for each record, in order. A large update (a peer's whole index) is split between this thread
     * and the hash threads: a signature check costs about half a millisecond.
     */
    List<Optional<FileRecord>> verifyAll(AccessLevel from, List<FileRecord> records) {
        if (records.size() < PARALLEL_VERIFY_FROM || hashers == null) {
            return records.stream().map(r -> verify(from, r)).toList();
        }
        int half = records.size() / 2;
        Future<List<Optional<FileRecord>>> second;
        try {
            second = hashers.submit(() -> records.subList(half, records.size()).stream()
                    .map(r -> verify(from, r)).toList());
        } catch (RejectedExecutionException e) {
            return records.stream().map(r -> verify(from, r)).toList(); // shutting down
        }
        List<Optional<FileRecord>> out = new ArrayList<>(records.size());
        records.subList(0, half).forEach(r -> out.add(verify(from, r)));
        try {
            out.addAll(second.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            second.cancel(true);
            throw new IllegalStateException("interrupted while checking signatures", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("checking signatures failed", e.getCause());
        }
        return out;
    }

    /** Checks a record's signature, sent by a member of level {@code from}; empty when it does not hold. */
    Optional<FileRecord> verify(AccessLevel from, FileRecord r) {
        if (encrypted) {
            return EncryptedView.verify(secret, id, r) ? Optional.of(r) : Optional.empty();
        }
        if (from == AccessLevel.ENCRYPTED) {
            return EncryptedView.open(secret, r);
        }
        try {
            return r.sealed() != null && RecordSigner.verifyPlain(secret, r, r.sealed()) ? Optional.of(r)
                    : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
