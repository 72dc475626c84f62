package io.peersync.protocol.wire;

import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Every message of the peersync wire protocol (see PROTOCOL.md). Immutable values. */
public sealed interface Message {

    /** First message on a connection: who we are and a fresh nonce for the membership proofs. */
    record Hello(int protocolVersion, String client, int listenPort, byte[] nonce, List<String> knownPeers)
            implements Message {
        public Hello {
            nonce = nonce.clone();
            knownPeers = List.copyOf(knownPeers);
        }

        @Override
        public byte[] nonce() {
            return nonce.clone();
        }

        // A record compares arrays by identity; a message is a value, so compare the nonce's bytes.
        @Override
        public boolean equals(Object o) {
            return o instanceof Hello h && h.protocolVersion == protocolVersion && h.client.equals(client)
                    && h.listenPort == listenPort && Arrays.equals(h.nonce, nonce) && h.knownPeers.equals(knownPeers);
        }

        @Override
        public int hashCode() {
            return Objects.hash(protocolVersion, client, listenPort, Arrays.hashCode(nonce), knownPeers);
        }

        @Override
        public String toString() {
            return "Hello[version=" + protocolVersion + ", client=" + client + ", listenPort=" + listenPort
                    + ", knownPeers=" + knownPeers + "]";
        }
    }

    /**
     * Gossip: listen addresses (host:port) of other nodes that proved membership of {@code folder}; sent only to a
     * node that proved membership of that folder too.
     */
    record FolderPeers(FolderId folder, List<String> addresses) implements Message {
        public FolderPeers {
            Objects.requireNonNull(folder, "folder");
            addresses = List.copyOf(addresses);
        }
    }

    /** Proof that the sender holds a secret of {@code folder} at {@code level} (an AccessLevel code). */
    record Membership(FolderId folder, int level, byte[] authTag, byte[] levelProof) implements Message {
        public Membership {
            authTag = authTag.clone();
            levelProof = levelProof.clone();
        }

        @Override
        public byte[] authTag() {
            return authTag.clone();
        }

        @Override
        public byte[] levelProof() {
            return levelProof.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Membership m && m.folder.equals(folder) && m.level == level
                    && Arrays.equals(m.authTag, authTag) && Arrays.equals(m.levelProof, levelProof);
        }

        @Override
        public int hashCode() {
            return Objects.hash(folder, level, Arrays.hashCode(authTag), Arrays.hashCode(levelProof));
        }

        @Override
        public String toString() {
            return "Membership[folder=" + folder + ", level=" + level + ", authTag=" + authTag.length
                    + " bytes, levelProof=" + levelProof.length + " bytes]";
        }
    }

    /** The receiver did not accept a membership proof; {@code reason} is for the sender's status. */
    record MembershipRejected(FolderId folder, String reason) implements Message {
    }

    /**
     * Records the sender has. A full index is sent as a series of these right after membership, the last one with
     * {@code complete} set; later incremental updates always have it set.
     */
    record IndexUpdate(FolderId folder, boolean complete, List<FileRecord> records) implements Message {
        public IndexUpdate {
            records = List.copyOf(records);
        }
    }

    /** Asks for one block of a file version the sender announced. */
    record BlockRequest(int id, FolderId folder, String path, long offset, int size, Hash hash) implements Message {
    }

    /** Answer to a {@link BlockRequest}; data is empty unless status is OK. */
    record BlockResponse(int id, Status status, byte[] data) implements Message {
        /** Outcome of a block request. */
        public enum Status { OK, NOT_FOUND, BUSY, ERROR }

        /** Does not copy {@code data}: the caller hands the array over (blocks are large). */
        public BlockResponse {
        }

        public static BlockResponse ok(int id, byte[] data) {
            return new BlockResponse(id, Status.OK, data);
        }

        public static BlockResponse failed(int id, Status status) {
            return new BlockResponse(id, status, new byte[0]);
        }

        @Override
        public byte[] data() {
            return data;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BlockResponse r && r.id == id && r.status == status && Arrays.equals(r.data, data);
        }

        @Override
        public int hashCode() {
            return id * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "BlockResponse[id=" + id + ", status=" + status + ", bytes=" + data.length + "]";
        }
    }

    /** Keepalive. */
    record Ping() implements Message {
    }

    /** The sender is closing the connection, and why. */
    record Close(String reason) implements Message {
    }
}
