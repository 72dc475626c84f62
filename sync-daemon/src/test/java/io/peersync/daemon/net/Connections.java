package io.peersync.daemon.net;

import io.netty.channel.Channel;
import io.peersync.protocol.NodeId;

/** Tests of other packages get a {@link PeerConnection} over a channel of their own (e.g. Netty's EmbeddedChannel). */
public final class Connections {
    private Connections() {
    }

    public static PeerConnection over(Channel channel, NodeId self, NodeId remote) {
        return new PeerConnection(channel, self, remote, true, "127.0.0.1:1", new byte[32], new byte[32]);
    }
}
