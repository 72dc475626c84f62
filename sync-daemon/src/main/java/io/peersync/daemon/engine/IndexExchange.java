package io.peersync.daemon.engine;

import io.peersync.daemon.index.IndexStore;
import io.peersync.daemon.net.PeerConnection;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.secret.AccessLevel;
import io.peersync.protocol.wire.Message.IndexUpdate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder's member peers and the index exchange with them: each member gets every local record it has not seen,
 * in frames well under the size limit and no faster than it reads; what members send is checked and stored on a
 * thread of its own, and a member that sends faster than that is read no further until it is.
 */
final class IndexExchange {
    private static final Logger log = LoggerFactory.getLogger(IndexExchange.class);
    static final int INDEX_BATCH = 1000;
    /** Records go out in frames of at most about this many bytes (the frame limit is 16 MiB). */
    static final long INDEX_FRAME_BYTES = 4L * 1024 * 1024;
    /** Index updates a peer may have waiting for the worker before we stop reading from it (each is a frame). */
    static final int MAX_QUEUED_INDEX_UPDATES = 4;
    /** How soon sending an index to a peer whose socket was full is tried again. */
    private static final long RESUME_SEND_MILLIS = 10;

    private final FolderId id;
    private final IndexStore index;
    private final boolean encrypted;
    private final IncomingRecords incoming;
    private final ScheduledExecutorService worker;
    private final ExecutorService remoteIndex;
    private final Runnable received;
    private final Map<NodeId, Member> members = new ConcurrentHashMap<>();
    /** Peers that rejected our proof, or whose proof we rejected, with why; for status. */
    private final Map<NodeId, String> rejections = new ConcurrentHashMap<>();
    /** Every peer that proved membership since start, with its address; status lists them. */
    private final Map<NodeId, String> seenMembers = new ConcurrentHashMap<>();
    private final Set<PeerConnection.ReadHold> readHolds = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean announcePending = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * Sends run on {@code worker}; received updates are stored on {@code remoteIndex}, never queued behind a scan
     * (while they wait the sender's connection, which every folder shares, may be held unread). {@code received}
     * runs when a member joined or sent records (there may be something to pull).
     */
    IndexExchange(FolderId id, IndexStore index, IncomingRecords incoming, boolean encrypted,
                  ScheduledExecutorService worker, ExecutorService remoteIndex, Runnable received) {
        this.id = id;
        this.index = index;
        this.incoming = incoming;
        this.encrypted = encrypted;
        this.worker = worker;
        this.remoteIndex = remoteIndex;
        this.received = received;
    }

    Map<NodeId, Member> members() {
        return members;
    }

    Map<NodeId, String> rejections() {
        return rejections;
    }

    Optional<Member> member(PeerConnection connection) {
        Member m = members.get(connection.remote());
        return m != null && m.connection == connection ? Optional.of(m) : Optional.empty();
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
        worker.execute(() -> send(member, true));
        received.run();
        return true;
    }

    void onRejected(NodeId peer, String reason) {
        rejections.put(peer, reason);
    }

    void onDisconnected(PeerConnection connection) {
        members.computeIfPresent(connection.remote(), (node, m) -> m.connection == connection ? null : m);
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
                    store(connection, member.get(), update);
                } catch (RuntimeException e) {
                    log.warn("Folder {}: could not store an index update from {}: {}", id,
                            connection.remote().shortForm(), e.toString(), e);
                } finally {
                    done.run();
                }
            });
        } catch (RejectedExecutionException e) {
            done.run(); // the folder is closing
        }
    }

    private void store(PeerConnection connection, Member member, IndexUpdate update) {
        List<FileRecord> accepted = new ArrayList<>(update.records().size());
        int rejected = 0;
        for (Optional<FileRecord> ok : incoming.verifyAll(member.level, update.records())) {
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
        received.run();
    }

    /** Queues sending new local changes to every member; calls in a burst coalesce into one send. */
    void announce() {
        if (!closed && announcePending.compareAndSet(false, true)) {
            worker.execute(() -> {
                announcePending.set(false);
                members.values().forEach(m -> send(m, false));
            });
        }
    }

    /** Sends every local change a member has not seen yet, in frames well under the size limit. Runs on the worker. */
    private void send(Member member, boolean full) {
        if (closed || !member.connection.isActive() || members.get(member.connection.remote()) != member) {
            return;
        }
        if (full) {
            member.owesComplete = true; // a full send ends with a complete mark, even when there is nothing to send
        }
        while (true) {
            if (!member.connection.isWritable()) {
                // The peer reads slower than we send: carry on once the socket drains, rather than queue the rest of
                // the index in memory.
                if (member.resumeScheduled.compareAndSet(false, true)) {
                    worker.schedule(() -> {
                        member.resumeScheduled.set(false);
                        send(member, false);
                    }, RESUME_SEND_MILLIS, TimeUnit.MILLISECONDS);
                }
                return;
            }
            List<FileRecord> page = index.localSince(id, member.sentSequence, INDEX_BATCH);
            if (page.isEmpty()) {
                break;
            }
            boolean more = page.size() == INDEX_BATCH;
            sendPage(member, page, more);
            if (!more) {
                break;
            }
        }
        // A send ends with an update that says complete, even when its last page was full and nothing followed it:
        // until then the peer holds back change sets and does not report in sync.
        if (member.owesComplete) {
            member.connection.send(new IndexUpdate(id, true, List.of()));
            member.owesComplete = false;
        }
    }

    /** One page of local records in frames of at most about {@link #INDEX_FRAME_BYTES}, as the member may see them. */
    private void sendPage(Member member, List<FileRecord> page, boolean more) {
        List<FileRecord> frame = new ArrayList<>();
        long bytes = 0;
        for (FileRecord r : page) {
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
        member.owesComplete = more;
    }

    /**
     * True when the connected peers holding these needed members of one change set have all sent everything they
     * hold: a peer sends a set's members in one run of updates whose last one says complete, so the members still
     * missing here are ones this node does not need, or superseded. False while any holder is mid-send, or when no
     * connected peer holds them (the set waits for one that does, or for newer versions).
     */
    boolean setSettled(List<FileRecord> needed) {
        Set<NodeId> holders = new HashSet<>();
        for (FileRecord g : needed) {
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
        List<Member> out = new ArrayList<>();
        for (NodeId node : index.peersHaving(id, record)) {
            Member m = members.get(node);
            if (m != null && m.connection.isActive()) {
                out.add(m);
            }
        }
        return out;
    }

    /** True when every member has sent its whole index and is not mid-send. */
    boolean allComplete() {
        return members.values().stream().allMatch(m -> m.indexComplete);
    }

    /** Every peer that proved membership since start, connected or not, by node id. */
    List<FolderState.Peer> peers() {
        List<FolderState.Peer> out = new ArrayList<>();
        seenMembers.forEach((node, address) -> {
            Member m = members.get(node);
            out.add(new FolderState.Peer(node, m != null ? m.connection.address() : address,
                    m != null && m.connection.isActive(), m != null ? m.level : null, m != null && m.indexComplete));
        });
        out.sort(Comparator.comparing(FolderState.Peer::node));
        return out;
    }

    /** Stops sending; updates never stored must not keep their connection, which other folders share, unread. */
    void close() {
        closed = true;
    }

    /** Releases the connections held unread for updates that will never be stored; call once the threads stopped. */
    void releaseHolds() {
        readHolds.forEach(PeerConnection.ReadHold::release);
    }
}
