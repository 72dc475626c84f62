package io.peersync.protocol.secret;

import io.peersync.protocol.NodeId;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * This node's long-term TLS identity: an EC P-256 key and a self-signed certificate kept in the home directory.
 *
 * <p>{@code node-cert.pem} is written first and {@code node-key.pem} (PKCS#8, mode 0600) last, each through a
 * temporary file and an atomic rename, so the key file's presence marks a complete identity: a crash during
 * creation leaves no key, and the next start simply creates the identity again. The keys are JDK key objects,
 * ready for a SunJSSE {@code KeyManagerFactory}.
 */
public final class NodeIdentity {
    public static final String KEY_FILE = "node-key.pem";
    public static final String CERT_FILE = "node-cert.pem";
    private static final Duration VALIDITY = Duration.ofDays(20 * 365 + 5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final NodeId nodeId;

    private NodeIdentity(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.nodeId = nodeIdOf(certificate);
    }

    /** Loads the identity from {@code home}, creating it (and {@code home}) on first use. */
    public static NodeIdentity loadOrCreate(Path home) {
        Path keyFile = home.resolve(KEY_FILE);
        Path certFile = home.resolve(CERT_FILE);
        try {
            if (Files.exists(keyFile)) {
                return load(keyFile, certFile);
            }
            Files.createDirectories(home);
            NodeIdentity created = create();
            writeAtomically(certFile, pem(created.certificate), false);
            writeAtomically(keyFile, pem(new JcaPKCS8Generator(created.privateKey, null)), true);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("node identity: cannot read or write " + home + " (" + e.getMessage() + ")", e);
        }
    }

    /** The node id a peer's certificate stands for: the SHA-256 of its public key. */
    public static NodeId nodeIdOf(X509Certificate certificate) {
        return NodeId.ofPublicKey(certificate.getPublicKey().getEncoded());
    }

    public NodeId nodeId() {
        return nodeId;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public String toString() {
        return "NodeIdentity{" + nodeId + "}";
    }

    private static NodeIdentity create() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=peersync");
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), name, keys.getPublic());
            var extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keys.getPublic()));
            X509CertificateHolder holder = builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            return new NodeIdentity(keys.getPrivate(), certificate);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("node identity: cannot create a key and certificate", e);
        }
    }

    private static NodeIdentity load(Path keyFile, Path certFile) throws IOException {
        if (!Files.exists(certFile)) {
            throw new IllegalStateException("node identity: " + certFile + " is missing but " + keyFile
                    + " exists (expected: both, or neither to create a new identity)");
        }
        PrivateKey key = readKey(keyFile);
        X509Certificate certificate = readCertificate(certFile);
        if (!matches(key, certificate)) {
            throw new IllegalStateException("node identity: " + keyFile + " does not belong to " + certFile);
        }
        return new NodeIdentity(key, certificate);
    }

    private static PrivateKey readKey(Path keyFile) throws IOException {
        String text = Files.readString(keyFile, StandardCharsets.ISO_8859_1);
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            if (parser.readObject() instanceof PrivateKeyInfo info) {
                return new JcaPEMKeyConverter().getPrivateKey(info);
            }
        } catch (IOException | RuntimeException e) {
            throw corruptKey(keyFile, e);
        }
        throw corruptKey(keyFile, null);
    }

    private static IllegalStateException corruptKey(Path keyFile, Exception cause) {
        return new IllegalStateException("node identity: " + keyFile + " is corrupt (expected: a PKCS#8 PEM "
                + "private key; move it away to create a new identity)", cause);
    }

    private static X509Certificate readCertificate(Path certFile) throws IOException {
        byte[] bytes = Files.readAllBytes(certFile);
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(bytes));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("node identity: " + certFile + " is corrupt (expected: a PEM X.509 "
                    + "certificate)", e);
        }
    }

    /** Signs and verifies a probe: the cheapest proof that the key file belongs to the certificate. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        try {
            byte[] probe = "peersync identity probe".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"))}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attributes);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
    }

    /** Makes the rename durable; some platforms cannot open a directory, and there it is best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not supported here (e.g. Windows); the rename itself is still atomic.
        }
    }
}
