package io.peersync.daemon.net;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.secret.NodeIdentity;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * TLS 1.3 with mutual authentication by self-signed node certificates. There is no CA: any well-formed certificate
 * completes the handshake, and the peer's identity is the {@link NodeId} derived from the certificate's public key,
 * which TLS proved the peer holds. Every authorisation (folder membership) is then bound to that node id.
 */
public final class TlsContexts {
    private static final String[] PROTOCOLS = {"TLSv1.3"};

    private final SslContext server;
    private final SslContext client;

    /** System property that forces the JDK's TLS ({@code -Dpeersync.tls=jdk}), e.g. to compare or to work around. */
    public static final String PROVIDER_PROPERTY = "peersync.tls";

    public TlsContexts(NodeIdentity identity) throws SSLException {
        this(identity, OpenSsl.isAvailable() && !"jdk".equalsIgnoreCase(System.getProperty(PROVIDER_PROPERTY))
                ? SslProvider.OPENSSL : SslProvider.JDK);
    }

    /**
     * {@code provider}: BoringSSL (OPENSSL) where netty-tcnative loads, whose AES-GCM is native from the start; the
     * JDK's TLS otherwise. The two interoperate: both speak TLS 1.3.
     */
    public TlsContexts(NodeIdentity identity, SslProvider provider) throws SSLException {
        // Trust-all is deliberate: identity is the key hash, checked by the application layer (see class doc).
        this.server = SslContextBuilder.forServer(identity.privateKey(), identity.certificate())
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .clientAuth(ClientAuth.REQUIRE)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .build();
        this.client = SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .keyManager(identity.privateKey(), identity.certificate())
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .build();
    }

    /** Which TLS implementation is in use, for the log: "BoringSSL" or "JDK". */
    public String implementation() {
        return server instanceof io.netty.handler.ssl.ReferenceCountedOpenSslContext ? "BoringSSL" : "JDK";
    }

    public SslContext server() {
        return server;
    }

    public SslContext client() {
        return client;
    }

    /** The node id of the authenticated remote end of a completed handshake. */
    public static NodeId peerNodeId(SSLSession session) throws SSLPeerUnverifiedException {
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
            throw new SSLPeerUnverifiedException("the peer presented no X.509 certificate");
        }
        return NodeIdentity.nodeIdOf(cert);
    }
}
