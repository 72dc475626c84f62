package io.peersync.protocol.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {
    private static final char[] PASSWORD = "unused".toCharArray();

    @TempDir
    Path home;

    @Test
    void createsOnceAndReloadsSameNodeId() throws Exception {
        Path dir = home.resolve("state");
        NodeIdentity created = NodeIdentity.loadOrCreate(dir);
        byte[] key = Files.readAllBytes(dir.resolve(NodeIdentity.KEY_FILE));
        String cert = Files.readString(dir.resolve(NodeIdentity.CERT_FILE));
        assertTrue(new String(key, StandardCharsets.US_ASCII).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(cert.startsWith("-----BEGIN CERTIFICATE-----"));

        NodeIdentity loaded = NodeIdentity.loadOrCreate(dir);
        assertEquals(created.nodeId(), loaded.nodeId());
        assertEquals(created.certificate(), loaded.certificate());
        assertEquals(created.privateKey(), loaded.privateKey());
        assertEquals(cert, Files.readString(dir.resolve(NodeIdentity.CERT_FILE)));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files are left behind");
        }
        assertNotEquals(created.nodeId(), NodeIdentity.loadOrCreate(home.resolve("other")).nodeId());
    }

    @Test
    void keyFileIsReadableByOwnerOnly() throws Exception {
        NodeIdentity.loadOrCreate(home);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(home.resolve(NodeIdentity.KEY_FILE)));
    }

    @Test
    void certificateIsSelfSignedP256ForTwentyYears() throws Exception {
        NodeIdentity identity = NodeIdentity.loadOrCreate(home);
        X509Certificate cert = identity.certificate();
        cert.verify(cert.getPublicKey());
        assertEquals("CN=peersync", cert.getSubjectX500Principal().getName());
        assertEquals(3, cert.getVersion());
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        assertEquals("EC", identity.privateKey().getAlgorithm());
        long years = (cert.getNotAfter().getTime() - System.currentTimeMillis()) / (365L * 24 * 3600 * 1000);
        assertEquals(20, years);
        assertEquals(identity.nodeId(), NodeIdentity.nodeIdOf(cert));
        assertEquals(io.peersync.protocol.NodeId.ofPublicKey(cert.getPublicKey().getEncoded()), identity.nodeId());
        assertFalse(identity.toString().contains("PRIVATE"));
    }

    @Test
    void corruptKeyFileIsNamedInError() throws Exception {
        NodeIdentity.loadOrCreate(home);
        Path keyFile = home.resolve(NodeIdentity.KEY_FILE);
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n");
        var e = assertThrows(IllegalStateException.class, () -> NodeIdentity.loadOrCreate(home));
        assertTrue(e.getMessage().contains(keyFile.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());

        Files.writeString(keyFile, "garbage");
        var garbage = assertThrows(IllegalStateException.class, () -> NodeIdentity.loadOrCreate(home));
        assertTrue(garbage.getMessage().contains(keyFile.toString()), garbage.getMessage());
    }

    @Test
    void keyFromAnotherIdentityIsRejected() throws Exception {
        NodeIdentity.loadOrCreate(home);
        Path other = home.resolve("other");
        NodeIdentity.loadOrCreate(other);
        Files.copy(other.resolve(NodeIdentity.KEY_FILE), home.resolve(NodeIdentity.KEY_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        var e = assertThrows(IllegalStateException.class, () -> NodeIdentity.loadOrCreate(home));
        assertTrue(e.getMessage().contains("does not belong to"), e.getMessage());
    }

    @Test
    void missingCertificateBesideKeyIsAnError() throws Exception {
        NodeIdentity.loadOrCreate(home);
        Files.delete(home.resolve(NodeIdentity.CERT_FILE));
        var e = assertThrows(IllegalStateException.class, () -> NodeIdentity.loadOrCreate(home));
        assertTrue(e.getMessage().contains(NodeIdentity.CERT_FILE), e.getMessage());
    }

    @Test
    void completesMutualTls13HandshakeWithJdkProvider() throws Exception {
        NodeIdentity server = NodeIdentity.loadOrCreate(home.resolve("server"));
        NodeIdentity client = NodeIdentity.loadOrCreate(home.resolve("client"));
        SSLEngine serverEngine = context(server, client).createSSLEngine();
        serverEngine.setUseClientMode(false);
        serverEngine.setNeedClientAuth(true);
        SSLEngine clientEngine = context(client, server).createSSLEngine("peersync", 1);
        clientEngine.setUseClientMode(true);

        handshake(clientEngine, serverEngine);

        assertEquals("TLSv1.3", clientEngine.getSession().getProtocol());
        Certificate[] seenByServer = serverEngine.getSession().getPeerCertificates();
        Certificate[] seenByClient = clientEngine.getSession().getPeerCertificates();
        assertEquals(client.nodeId(), NodeIdentity.nodeIdOf((X509Certificate) seenByServer[0]));
        assertEquals(server.nodeId(), NodeIdentity.nodeIdOf((X509Certificate) seenByClient[0]));
    }

    /** A TLS 1.3 context presenting {@code self} from an in-memory PKCS12 store, trusting only {@code peer}. */
    private static SSLContext context(NodeIdentity self, NodeIdentity peer) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("node", self.privateKey(), PASSWORD, new Certificate[] {self.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("peer", peer.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** Shuttles records between two engines in memory until both finish the handshake. */
    private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        int size = client.getSession().getPacketBufferSize();
        ByteBuffer toServer = ByteBuffer.allocate(size * 4);
        ByteBuffer toClient = ByteBuffer.allocate(size * 4);
        ByteBuffer app = ByteBuffer.allocate(client.getSession().getApplicationBufferSize() * 2);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 100; round++) {
            step(client, empty, toServer, toClient, app);
            step(server, empty, toClient, toServer, app);
            if (done(client) && done(server)) {
                return;
            }
        }
        throw new AssertionError("handshake did not finish: client " + client.getHandshakeStatus()
                + ", server " + server.getHandshakeStatus());
    }

    private static void step(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer app)
            throws Exception {
        HandshakeStatus status = engine.getHandshakeStatus();
        while (status == HandshakeStatus.NEED_TASK) {
            engine.getDelegatedTask().run();
            status = engine.getHandshakeStatus();
        }
        if (status == HandshakeStatus.NEED_WRAP) {
            engine.wrap(empty, out);
        } else if (status == HandshakeStatus.NEED_UNWRAP && in.position() > 0) {
            in.flip();
            engine.unwrap(in, app);
            in.compact();
            app.clear();
        }
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }
}
