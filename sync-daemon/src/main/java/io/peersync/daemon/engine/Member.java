package io.peersync.daemon.engine;

import io.peersync.daemon.net.PeerConnection;
import io.peersync.protocol.secret.AccessLevel;

/** A connected peer that proved it holds a secret of a folder, and what we have exchanged with it. */
final class Member {
    final PeerConnection connection;
    final AccessLevel level;
    /** The peer has sent its whole index of this folder, and its last update finished a send (more was not coming). */
    volatile boolean indexComplete;
    /** Highest local sequence we have sent to this peer; touched only on the folder's worker. */
    long sentSequence;
    /** The last update sent to this peer said more was coming; touched only on the folder's worker. */
    boolean owesComplete;
    /** Block requests from this peer being served now. */
    final java.util.concurrent.atomic.AtomicInteger serving = new java.util.concurrent.atomic.AtomicInteger();
    /** A resumed index send to this peer is scheduled (its socket was full). */
    final java.util.concurrent.atomic.AtomicBoolean resumeScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    /** Index updates from this peer waiting to be stored. */
    final java.util.concurrent.atomic.AtomicInteger queuedUpdates = new java.util.concurrent.atomic.AtomicInteger();

    Member(PeerConnection connection, AccessLevel level) {
        this.connection = connection;
        this.level = level;
    }
}
