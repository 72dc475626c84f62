package io.peersync.daemon.net;

import io.peersync.protocol.wire.Message;

/** What the network layer tells the engine. Called on Netty event loops: implementations must not block. */
public interface ConnectionListener {

    /** The TLS handshake and Hello exchange completed and this is the only connection to that node. */
    void onConnected(PeerConnection connection);

    /** A message other than Hello, Ping or Close arrived. */
    void onMessage(PeerConnection connection, Message message);

    void onDisconnected(PeerConnection connection);
}
