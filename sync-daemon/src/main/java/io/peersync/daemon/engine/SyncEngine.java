package io.peersync.daemon.engine;

import io.peersync.daemon.net.ConnectionListener;
import io.peersync.daemon.net.PeerConnection;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.secret.AccessLevel;
import io.peersync.protocol.secret.FolderSecret;
import io.peersync.protocol.secret.MembershipProof;
import io.peersync.protocol.wire.Message;
import io.peersync.protocol.wire.Limits;
import io.peersync.protocol.wire.Message.BlockRequest;
import io.peersync.protocol.wire.Message.FolderPeers;
import io.peersync.protocol.wire.Message.IndexUpdate;
import io.peersync.protocol.wire.Message.Membership;
import io.peersync.protocol.wire.Message.MembershipRejected;
import io.peersync.protocol.wire.ProtocolException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes what peers send to the folders it concerns, after checking membership: a peer learns nothing of a folder
 * until it has proved, on this very connection, that it holds one of the folder's secrets.
 */
public final class SyncEngine implements ConnectionListener {
    private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

    private final NodeId self;
    private final Map<FolderId, FolderSync> folders = new ConcurrentHashMap<>();
    private final Map<NodeId, PeerConnection> connections = new ConcurrentHashMap<>();
    private volatile Runnable folderAdded = () -> { };
    private volatile Consumer<List<String>> peerAddresses = addresses -> { };

    public SyncEngine(NodeId self) {
        this.self = self;
    }

    /** Starts syncing a folder and offers it to every connected peer. */
    public void add(FolderSync folder) {
        folders.put(folder.id(), folder);
        folder.connectedPeers = connections::size;
        folder.start();
        connections.values().forEach(c -> offer(c, folder));
        folderAdded.run();
    }

    /** Where addresses that members gossip go (the network dials them). */
    public void onPeerAddresses(Consumer<List<String>> action) {
        this.peerAddresses = action;
    }

    /** Runs {@code action} after each folder is added (LAN discovery announces it at once). */
    public void onFolderAdded(Runnable action) {
        this.folderAdded = action;
    }

    /** The secrets of the folders being synced. */
    public List<FolderSecret> secrets() {
        return folders.values().stream().map(f -> f.secret).toList();
    }

    public Optional<FolderSync> remove(FolderId id) {
        FolderSync folder = folders.remove(id);
        if (folder != null) {
            folder.close();
        }
        return Optional.ofNullable(folder);
    }

    public Collection<FolderSync> folders() {
        return List.copyOf(folders.values());
    }

    public Optional<FolderSync> folder(FolderId id) {
        return Optional.ofNullable(folders.get(id));
    }

    @Override
    public void onConnected(PeerConnection connection) {
        connections.put(connection.remote(), connection);
        folders.values().forEach(f -> offer(connection, f));
    }

    /**
     * Sends our proof for a folder. Proofs are made and checked right away (a signature or an HMAC: well under a
     * millisecond) rather than on another thread, so that on each connection a proof always goes out before the
     * index it unlocks, and a peer's proof is checked before its index, which follows it on the wire, arrives.
     */
    private void offer(PeerConnection connection, FolderSync folder) {
        MembershipProof proof = MembershipProof.create(folder.secret, self, connection.remote(),
                connection.localNonce(), connection.remoteNonce());
        connection.send(new Membership(folder.id(), proof.level().code(), proof.authTag(), proof.levelProof()));
    }

    @Override
    public void onMessage(PeerConnection connection, Message message) {
        if (connections.get(connection.remote()) != connection) {
            // A connection superseded by a better one to the same node is closing: what it still delivers (a proof
            // sent before the other was chosen) must not make it a folder's member again.
            return;
        }
        if (message instanceof Membership m) {
            verify(connection, m);
        } else if (message instanceof MembershipRejected m) {
            FolderSync folder = folders.get(m.folder());
            if (folder != null) {
                log.warn("Folder {}: peer {} rejected our secret: {}", m.folder(), connection.remote().shortForm(),
                        m.reason());
                folder.exchange().onRejected(connection.remote(), "peer " + connection.remote().shortForm()
                        + " rejected this folder's secret: " + m.reason());
            }
        } else if (message instanceof IndexUpdate m) {
            FolderSync folder = folders.get(m.folder());
            if (folder != null) {
                folder.exchange().onIndexUpdate(connection, m);
            }
        } else if (message instanceof FolderPeers m) {
            FolderSync folder = folders.get(m.folder());
            if (folder != null && folder.exchange().member(connection).isPresent()) {
                peerAddresses.accept(m.addresses());
            }
        } else if (message instanceof BlockRequest m) {
            FolderSync folder = folders.get(m.folder());
            if (folder != null) {
                folder.onBlockRequest(connection, m);
            } else {
                connection.send(Message.BlockResponse.failed(m.id(), Message.BlockResponse.Status.NOT_FOUND));
            }
        } else {
            throw new ProtocolException("unexpected " + message.getClass().getSimpleName());
        }
    }

    private void verify(PeerConnection connection, Membership m) {
        FolderSync folder = folders.get(m.folder());
        if (folder == null) {
            return; // a folder we don't share: say nothing, so nothing is revealed
        }
        MembershipProof.Verdict verdict;
        try {
            MembershipProof proof = new MembershipProof(AccessLevel.ofCode(m.level()), m.authTag(), m.levelProof());
            verdict = proof.verify(folder.secret, connection.remote(), self, connection.remoteNonce(),
                    connection.localNonce());
        } catch (IllegalArgumentException e) {
            log.warn("Folder {}: peer {} sent a malformed membership proof: {}", folder.id(),
                    connection.remote().shortForm(), e.getMessage());
            connection.send(new MembershipRejected(folder.id(), "malformed proof"));
            return;
        }
        if (!verdict.member()) {
            log.warn("Folder {}: peer {} does not hold a valid secret for this folder", folder.id(),
                    connection.remote().shortForm());
            folder.exchange().onRejected(connection.remote(), "peer " + connection.remote().shortForm()
                    + " presented a wrong secret for this folder");
            connection.send(new MembershipRejected(folder.id(), "wrong secret"));
            return;
        }
        if (folder.exchange().member(connection).isPresent()) {
            return;
        }
        // Our own proof may have arrived before the peer shared this folder and been ignored: send it again, before
        // our index (which onMember queues), so the peer can check it before the index arrives.
        offer(connection, folder);
        if (folder.exchange().onMember(connection, verdict.level())) {
            introduce(folder, connection);
        }
    }

    /**
     * Gossip within a folder: tells a node that just proved membership where the folder's other members listen,
     * and them where it does. Nodes that share no folder with us learn no address from us.
     */
    private void introduce(FolderSync folder, PeerConnection joined) {
        List<String> others = new ArrayList<>();
        for (Member m : folder.exchange().members().values()) {
            if (m.connection != joined && m.connection.isActive()) {
                if (others.size() < Limits.MAX_KNOWN_PEERS) {
                    others.add(m.connection.address());
                }
                m.connection.send(new FolderPeers(folder.id(), List.of(joined.address())));
            }
        }
        if (!others.isEmpty()) {
            joined.send(new FolderPeers(folder.id(), others));
        }
    }

    @Override
    public void onDisconnected(PeerConnection connection) {
        connections.remove(connection.remote(), connection);
        folders.values().forEach(f -> f.exchange().onDisconnected(connection));
    }

    /** Closes every folder, each even if another failed to close. */
    public void close() {
        for (FolderSync folder : folders.values()) {
            try {
                folder.close();
            } catch (RuntimeException e) {
                log.warn("Folder {} did not close cleanly: {}", folder.id(), e.toString(), e);
            }
        }
        folders.clear();
    }
}
