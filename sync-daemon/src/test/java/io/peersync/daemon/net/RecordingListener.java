package io.peersync.daemon.net;

import io.peersync.protocol.NodeId;
import io.peersync.protocol.wire.Message;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** A {@link ConnectionListener} that remembers every callback, optionally answering messages as a peer would. */
final class RecordingListener implements ConnectionListener {
    /** One callback, in arrival order; {@code message} is null for connects and disconnects. */
    record Event(Kind kind, PeerConnection connection, Message message) {
    }

    enum Kind { CONNECTED, MESSAGE, DISCONNECTED }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private volatile BiConsumer<PeerConnection, Message> responder = (c, m) -> { };

    /** Runs on the event loop for every message, after it is recorded; must not block. */
    void respondWith(BiConsumer<PeerConnection, Message> responder) {
        this.responder = responder;
    }

    @Override
    public void onConnected(PeerConnection connection) {
        events.add(new Event(Kind.CONNECTED, connection, null));
    }

    @Override
    public void onMessage(PeerConnection connection, Message message) {
        events.add(new Event(Kind.MESSAGE, connection, message));
        responder.accept(connection, message);
    }

    @Override
    public void onDisconnected(PeerConnection connection) {
        events.add(new Event(Kind.DISCONNECTED, connection, null));
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    List<PeerConnection> connected() {
        return of(Kind.CONNECTED).stream().map(Event::connection).toList();
    }

    List<PeerConnection> disconnected() {
        return of(Kind.DISCONNECTED).stream().map(Event::connection).toList();
    }

    List<Message> messages() {
        return of(Kind.MESSAGE).stream().map(Event::message).toList();
    }

    /** Connections reported connected and not (yet) disconnected, to {@code node}. */
    List<PeerConnection> liveTo(NodeId node) {
        List<PeerConnection> gone = disconnected();
        return connected().stream().filter(c -> c.remote().equals(node) && !gone.contains(c)).toList();
    }

    private List<Event> of(Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }
}
