package io.peersync.daemon.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.peersync.protocol.secret.NodeIdentity;
import io.peersync.protocol.wire.Limits;
import io.peersync.protocol.wire.Message;
import io.peersync.protocol.wire.Message.Hello;
import io.peersync.protocol.wire.WireCodec;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients that are not well-behaved peers, written with plain JDK sockets so nothing of ours helps them. */
class HostileClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int READ_TIMEOUT_MILLIS = 5_000;

    @TempDir
    Path homes;
    LoopbackNodes nodes;
    final RecordingListener listener = new RecordingListener();
    PeerNetwork server;

    @BeforeEach
    void setUp() throws InterruptedException {
        nodes = new LoopbackNodes(homes);
        server = nodes.start("server", listener);
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    @Test
    void dropsAClientThatDoesNotSpeakTls() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.listenPort())) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: peersync\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            assertTrue(closedByPeer(socket.getInputStream()), "the server closed the connection");
        }
        assertEquals(List.of(), listener.events());
        assertTrue(server.connections().isEmpty());
    }

    @Test
    void negotiatesTls13AndSpeaksFirstWithHello() throws Exception {
        try (SSLSocket socket = tlsClient(nodes.identity("client"), "TLSv1.3", "TLSv1.2")) {
            socket.startHandshake();

            assertEquals("TLSv1.3", socket.getSession().getProtocol());
            Certificate presented = socket.getSession().getPeerCertificates()[0];
            assertEquals(server.self(), NodeIdentity.nodeIdOf((X509Certificate) presented));
            Hello hello = assertInstanceOf(Hello.class, readFrame(socket.getInputStream()));
            assertEquals(Limits.PROTOCOL_VERSION, hello.protocolVersion());
            assertEquals(server.listenPort(), hello.listenPort());
        }
    }

    @Test
    void refusesTls12() throws Exception {
        try (SSLSocket socket = tlsClient(nodes.identity("client"), "TLSv1.2")) {
            assertThrows(IOException.class, socket::startHandshake);
        }
        assertEquals(List.of(), listener.events());
    }

    @Test
    void dropsAClientWithoutACertificate() throws Exception {
        try (SSLSocket socket = tlsClient(null, "TLSv1.3")) {
            // In TLS 1.3 the client finishes first; the server refuses the missing certificate right after.
            socket.startHandshake();
            assertTrue(closedByPeer(socket.getInputStream()), "the server closed the connection");
        }
        assertEquals(List.of(), listener.events());
    }

    @Test
    void dropsAnUnknownMessageTypeBeforeHelloAndReportsNothing() throws Exception {
        try (SSLSocket socket = tlsClient(nodes.identity("client"), "TLSv1.3")) {
            socket.startHandshake();
            write(socket.getOutputStream(), new byte[] {99});

            assertTrue(closedByPeer(socket.getInputStream()), "the server closed the connection");
        }
        assertEquals(List.of(), listener.events());
    }

    @Test
    void dropsAFrameLongerThanTheLimit() throws Exception {
        try (SSLSocket socket = tlsClient(nodes.identity("client"), "TLSv1.3")) {
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(ByteBuffer.allocate(4).putInt(Limits.MAX_FRAME + 1).array());
            out.write(new byte[1024]);
            out.flush();

            assertTrue(closedByPeer(socket.getInputStream()), "the server closed the connection");
        }
        assertEquals(List.of(), listener.events());
    }

    @Test
    void disconnectsAConnectedPeerThatSendsAMalformedFrame() throws Exception {
        NodeIdentity client = nodes.identity("client");
        try (SSLSocket socket = tlsClient(client, "TLSv1.3")) {
            socket.startHandshake();
            write(socket.getOutputStream(), encode(new Hello(Limits.PROTOCOL_VERSION, "test", 1, new byte[Limits.NONCE_BYTES],
                    List.of())));
            await().atMost(WAIT).until(() -> listener.connected().size() == 1);
            PeerConnection connection = listener.connected().get(0);
            assertEquals(client.nodeId(), connection.remote());

            write(socket.getOutputStream(), new byte[] {99});

            assertTrue(closedByPeer(socket.getInputStream()), "the server closed the connection");
            await().atMost(WAIT).until(() -> listener.disconnected().equals(List.of(connection)));
        }
        assertEquals(List.of(), listener.messages());
    }

    /** A JDK TLS client presenting {@code identity}'s certificate (none when null) and trusting any server. */
    private SSLSocket tlsClient(NodeIdentity identity, String... protocols) throws Exception {
        KeyManager[] keys = null;
        if (identity != null) {
            char[] password = "unused".toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("node", identity.privateKey(), password, new Certificate[] {identity.certificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            keys = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.listenPort());
        socket.setEnabledProtocols(protocols);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    private static byte[] encode(Message message) {
        ByteBuf buf = Unpooled.buffer();
        try {
            WireCodec.encode(message, buf);
            byte[] body = new byte[buf.readableBytes()];
            buf.readBytes(body);
            return body;
        } finally {
            buf.release();
        }
    }

    private static void write(OutputStream out, byte[] body) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(body.length).array());
        out.write(body);
        out.flush();
    }

    private static Message readFrame(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] body = new byte[data.readInt()];
        data.readFully(body);
        ByteBuf buf = Unpooled.wrappedBuffer(body);
        try {
            return WireCodec.decode(buf);
        } finally {
            buf.release();
        }
    }

    /** Reads (and drops) whatever the server sends until it closes; false if it is still open after the timeout. */
    private static boolean closedByPeer(InputStream in) {
        byte[] sink = new byte[4096];
        try {
            while (in.read(sink) >= 0) {
                // Hello, alerts: anything before the close.
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset, or a TLS alert surfacing as an exception: closed either way
        }
    }
}
