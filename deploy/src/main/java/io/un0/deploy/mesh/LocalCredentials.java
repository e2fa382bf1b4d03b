package io.un0.deploy.mesh;

import io.un0.kafka.KafkaLogin;
import io.un0.kafka.MeshAcls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;

/**
 * The local mesh's credentials, made once under {@code <data>/credentials/} and reused by later runs: its own CA, the
 * services' server certificate (for {@code localhost} and {@code 127.0.0.1}), tenant-a's client certificate for mutual
 * TLS, and bearer tokens (RS256 JWTs) for two tenants and an operator, signed by a key whose public half the services
 * trust. For this machine only: the private keys of the CA and of the token signer lie beside everything else.
 */
public final class LocalCredentials {

    private Map<KafkaPrincipal, KafkaLogin> kafkaLogins;

    /** Guards nothing secret (the trust store holds only the CA's certificate); the services need one all the same. */
    public static final String TRUST_STORE_PASSWORD = "un0-local";
    public static final String ISSUER = "un0";
    public static final String AUDIENCE = "un0-mesh";

    /** CA and leaves alike: long enough that nobody meets an expired local certificate, so none is ever renewed. */
    private static final Duration CERTIFICATE_LIFETIME = Duration.ofDays(3650);
    private static final Duration TOKEN_LIFETIME = Duration.ofDays(30);
    /** A token with less left than this is issued again, so one run of the mesh never sees its tokens expire. */
    private static final Duration RENEW_WITHIN = Duration.ofDays(1);
    /** Certificates start an hour back, so a clock a little behind still accepts them. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final String TRUST_STORE_ALIAS = "un0-local-ca";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Who a local token speaks for; tenant-a's client certificate names the same caller. */
    public enum Caller {
        TENANT_A("tenant-a", "alice", "tenant-a", "client"),
        TENANT_B("tenant-b", "bob", "tenant-b", "client"),
        OPERATOR("operator", "ops", "operators", "operator");

        private final String fileName;
        private final String subject;
        private final String tenant;
        private final String role;

        Caller(String fileName, String subject, String tenant, String role) {
            this.fileName = fileName;
            this.subject = subject;
            this.tenant = tenant;
            this.role = role;
        }

        public String subject() {
            return subject;
        }

        public String tenant() {
            return tenant;
        }

        public String role() {
            return role;
        }
    }

    /** A private key and its certificate: the CA, or a certificate it issued. */
    private record Issued(PrivateKey key, X509Certificate certificate) {
    }

    /** What a leaf certificate says beyond its issuer, key and lifetime. */
    private record Leaf(X500Name subject, Optional<GeneralNames> alternativeNames, KeyPurposeId purpose) {
    }

    private static final Leaf SERVER = new Leaf(
            new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "un0-local").addRDN(BCStyle.CN, "localhost").build(),
            Optional.of(new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")})),
            KeyPurposeId.id_kp_serverAuth);

    /** The services read the caller from the subject: CN the subject, O the tenant, one OU per role. */
    private static final Leaf TENANT_A_CLIENT = new Leaf(
            new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, Caller.TENANT_A.tenant()).addRDN(BCStyle.OU, Caller.TENANT_A.role())
                    .addRDN(BCStyle.CN, Caller.TENANT_A.subject()).build(),
            Optional.empty(),
            KeyPurposeId.id_kp_clientAuth);

    private final Path folder;

    private LocalCredentials(Path folder) {
        this.folder = folder;
    }

    /**
     * Makes whatever is missing under {@code <dataDir>/credentials/} and keeps the rest: a certificate is kept while it
     * chains to the CA there, a token while it verifies against the signing key there with more than a day left.
     *
     * @throws IllegalStateException naming the file when the CA or the signing key is there but unreadable
     */
    public static LocalCredentials ensure(Path dataDir) throws IOException {
        return ensure(dataDir, Clock.systemUTC());
    }

    static LocalCredentials ensure(Path dataDir, Clock clock) throws IOException {
        LocalCredentials c = new LocalCredentials(dataDir.resolve("credentials"));
        Files.createDirectories(c.folder);
        Instant now = clock.instant();
        try {
            Issued ca = c.certificateAuthority(now);
            c.keepOrIssue(c.serverCertificate(), c.serverKey(), ca, now, SERVER);
            c.keepOrIssue(c.clientCertificate(), c.clientKey(), ca, now, TENANT_A_CLIENT);
            c.keepOrWriteTrustStore(ca.certificate());
            KeyPair signing = c.tokenSigningKeys();
            for (Caller caller : Caller.values()) {
                c.keepOrIssueToken(caller, signing, now);
            }
            c.kafkaLogins = c.keepOrMakeKafkaLogins();
        } catch (GeneralSecurityException | OperatorCreationException | JoseException e) {
            throw new IllegalStateException("cannot make the local mesh's credentials in " + c.folder + ": " + e.getMessage(), e);
        }
        return c;
    }

    public Path folder() {
        return folder;
    }

    /** The broker's principals: an admin, one per kind of service, and tenant-a's batch submitter. */
    public enum KafkaPrincipal {
        ADMIN("un0-admin", Optional.empty()),
        GATEWAY("un0-gateway", Optional.of(MeshAcls.Role.GATEWAY)),
        SCHEDULER("un0-scheduler", Optional.of(MeshAcls.Role.SCHEDULER)),
        WORKER("un0-worker", Optional.of(MeshAcls.Role.WORKER)),
        TENANT_A_SUBMITTER("tenant-a-submitter", Optional.of(MeshAcls.Role.SUBMITTER));

        private final String username;
        /** Empty for the admin, a super user that no ACL limits. */
        private final Optional<MeshAcls.Role> role;

        KafkaPrincipal(String username, Optional<MeshAcls.Role> role) {
            this.username = username;
            this.role = role;
        }

        public String username() {
            return username;
        }

        public Optional<MeshAcls.Role> role() {
            return role;
        }
    }

    /** Where the Kafka principals' passwords are kept, owner-only: {@code <principal>=<password>} per line. */
    public Path kafkaLoginsFile() {
        return folder.resolve("kafka-logins.properties");
    }

    public KafkaLogin kafkaLogin(KafkaPrincipal principal) {
        return kafkaLogins.get(principal);
    }

    /** The passwords made once, at random, and kept; a principal missing from the file gets one. */
    private Map<KafkaPrincipal, KafkaLogin> keepOrMakeKafkaLogins() throws IOException {
        Properties kept = new Properties();
        if (Files.exists(kafkaLoginsFile())) {
            try (Reader r = Files.newBufferedReader(kafkaLoginsFile())) {
                kept.load(r);
            }
        }
        Map<KafkaPrincipal, KafkaLogin> logins = new EnumMap<>(KafkaPrincipal.class);
        boolean changed = false;
        for (KafkaPrincipal p : KafkaPrincipal.values()) {
            String password = kept.getProperty(p.username());
            if (password == null || password.isBlank()) {
                byte[] secret = new byte[24];
                RANDOM.nextBytes(secret);
                password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
                kept.setProperty(p.username(), password);
                changed = true;
            }
            logins.put(p, new KafkaLogin(p.username(), password));
        }
        if (changed) {
            StringWriter out = new StringWriter();
            kept.store(out, "SASL/SCRAM-SHA-512 passwords of the local broker's principals");
            write(kafkaLoginsFile(), out.toString().getBytes(StandardCharsets.UTF_8), true);
        }
        return logins;
    }

    public Path caCertificate() {
        return folder.resolve("ca.crt");
    }

    private Path caKey() {
        return folder.resolve("ca.key");
    }

    public Path serverCertificate() {
        return folder.resolve("server.crt");
    }

    public Path serverKey() {
        return folder.resolve("server.key");
    }

    /** PKCS12, the CA as its one trusted entry, {@link #TRUST_STORE_PASSWORD}. */
    public Path trustStore() {
        return folder.resolve("ca-truststore.p12");
    }

    /** Private; the services never see it. */
    public Path tokenSigningKey() {
        return folder.resolve("token-signing.key");
    }

    /** SubjectPublicKeyInfo PEM: what the services verify tokens with. */
    public Path tokenPublicKey() {
        return folder.resolve("token-public.pem");
    }

    public Path token(Caller caller) {
        return folder.resolve(caller.fileName + ".jwt");
    }

    /** Tenant-a's, for mutual TLS: CN alice, O tenant-a, OU client. */
    public Path clientCertificate() {
        return folder.resolve("tenant-a-client.crt");
    }

    public Path clientKey() {
        return folder.resolve("tenant-a-client.key");
    }

    /** What every gRPC service of the mesh needs to serve TLS and to check callers' tokens and certificates. */
    public Map<String, String> serviceSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("quarkus.grpc.server.plain-text", "false");
        s.put("quarkus.grpc.server.ssl.certificate", absolute(serverCertificate()));
        s.put("quarkus.grpc.server.ssl.key", absolute(serverKey()));
        s.put("quarkus.grpc.server.ssl.trust-store", absolute(trustStore()));
        // Quarkus names the type in lower case only (it refuses "PKCS12").
        s.put("quarkus.grpc.server.ssl.trust-store-type", "pkcs12");
        s.put("quarkus.grpc.server.ssl.trust-store-password", TRUST_STORE_PASSWORD);
        // Requested, not required: a caller with a token needs no certificate.
        s.put("quarkus.grpc.server.ssl.client-auth", "REQUEST");
        s.put("un0.auth.token-keys", absolute(tokenPublicKey()));
        s.put("un0.auth.issuer", ISSUER);
        s.put("un0.auth.audience", AUDIENCE);
        return s;
    }

    private static String absolute(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /** A new CA makes every certificate it issued before unusable, so they are issued again after it. */
    private Issued certificateAuthority(Instant now) throws IOException, GeneralSecurityException, OperatorCreationException {
        if (Files.exists(caCertificate()) && Files.exists(caKey())) {
            X509Certificate certificate;
            try {
                certificate = readCertificate(caCertificate());
            } catch (GeneralSecurityException e) {
                throw unreadable(caCertificate(), e);
            }
            return new Issued(readPrivateKey(caKey(), certificate.getPublicKey().getAlgorithm()), certificate);
        }
        KeyPair keys = ecKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "un0-local").addRDN(BCStyle.CN, "Un-0 local mesh CA").build();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = builder(name, name, keys.getPublic(), now)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
        Issued ca = new Issued(keys.getPrivate(), sign(b, keys.getPrivate()));
        writePair(caKey(), ca.key(), caCertificate(), pem("CERTIFICATE", ca.certificate().getEncoded()));
        return ca;
    }

    private void keepOrIssue(Path certificateFile, Path keyFile, Issued ca, Instant now, Leaf leaf)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        if (Files.exists(keyFile) && chainsTo(certificateFile, ca.certificate())) {
            return;
        }
        KeyPair keys = ecKeyPair();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = builder(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), leaf.subject(),
                keys.getPublic(), now)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(leaf.purpose()))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca.certificate()));
        if (leaf.alternativeNames().isPresent()) {
            b.addExtension(Extension.subjectAlternativeName, false, leaf.alternativeNames().get());
        }
        writePair(keyFile, keys.getPrivate(), certificateFile, pem("CERTIFICATE", sign(b, ca.key()).getEncoded()));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Instant now) {
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM), Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(CERTIFICATE_LIFETIME)), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey) throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static boolean chainsTo(Path certificateFile, X509Certificate ca) throws IOException {
        if (!Files.exists(certificateFile)) {
            return false;
        }
        try {
            readCertificate(certificateFile).verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException staleOrUnreadable) {
            return false;
        }
    }

    private void keepOrWriteTrustStore(X509Certificate ca) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        if (Files.exists(trustStore())) {
            try (InputStream in = Files.newInputStream(trustStore())) {
                store.load(in, TRUST_STORE_PASSWORD.toCharArray());
                if (ca.equals(store.getCertificate(TRUST_STORE_ALIAS))) {
                    return;
                }
            } catch (IOException | GeneralSecurityException staleOrUnreadable) {
                // Written again below.
            }
        }
        store.load(null, null);
        store.setCertificateEntry(TRUST_STORE_ALIAS, ca);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        store.store(bytes, TRUST_STORE_PASSWORD.toCharArray());
        write(trustStore(), bytes.toByteArray(), false);
    }

    /** A new signing key makes every token signed before unverifiable, so they are issued again after it. */
    private KeyPair tokenSigningKeys() throws IOException, GeneralSecurityException {
        if (Files.exists(tokenSigningKey()) && Files.exists(tokenPublicKey())) {
            PublicKey publicKey = readPublicKey(tokenPublicKey());
            return new KeyPair(publicKey, readPrivateKey(tokenSigningKey(), "RSA"));
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
        KeyPair keys = generator.generateKeyPair();
        writePair(tokenSigningKey(), keys.getPrivate(), tokenPublicKey(), pem("PUBLIC KEY", keys.getPublic().getEncoded()));
        return keys;
    }

    private void keepOrIssueToken(Caller caller, KeyPair signing, Instant now) throws IOException, JoseException {
        Path file = token(caller);
        if (Files.exists(file)) {
            try {
                new JwtConsumerBuilder().setVerificationKey(signing.getPublic())
                        .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                        .setExpectedIssuer(ISSUER).setExpectedAudience(AUDIENCE).setExpectedSubject(caller.subject())
                        .setRequireExpirationTime().setEvaluationTime(NumericDate.fromMilliseconds(now.plus(RENEW_WITHIN).toEpochMilli()))
                        .build().processToClaims(Files.readString(file).strip());
                return;
            } catch (InvalidJwtException expiringOrStale) {
                // Issued again below.
            }
        }
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject(caller.subject());
        claims.setStringClaim("tenant", caller.tenant());
        claims.setStringListClaim("groups", List.of(caller.role()));
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(TOKEN_LIFETIME).getEpochSecond()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signing.getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        write(file, (jws.getCompactSerialization() + "\n").getBytes(StandardCharsets.US_ASCII), false);
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey readPrivateKey(Path file, String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(readPem(file)));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw unreadable(file, e);
        }
    }

    private static PublicKey readPublicKey(Path file) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(readPem(file)));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw unreadable(file, e);
        }
    }

    private static IllegalStateException unreadable(Path file, Exception e) {
        return new IllegalStateException(file + " is unreadable (" + e.getMessage() + "); delete " + file.getParent()
                + " to make new local credentials", e);
    }

    private static byte[] readPem(Path file) throws IOException {
        try (PemReader reader = new PemReader(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
            PemObject object = reader.readPemObject();
            if (object == null) {
                throw new IOException("no PEM block");
            }
            return object.getContent();
        }
    }

    private static byte[] pem(String type, byte[] der) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PemWriter writer = new PemWriter(new OutputStreamWriter(bytes, StandardCharsets.US_ASCII))) {
            writer.writeObject(new PemObject(type, der));
        }
        return bytes.toByteArray();
    }

    /**
     * The public half goes first and comes back last, so a run cut short leaves no public half beside a private key
     * of another pair: the next run sees the pair missing and makes it again.
     */
    private static void writePair(Path privateFile, PrivateKey key, Path publicFile, byte[] publicPem) throws IOException {
        Files.deleteIfExists(publicFile);
        write(privateFile, pem("PRIVATE KEY", key.getEncoded()), true);
        write(publicFile, publicPem, false);
    }

    /**
     * Whole or not at all (written beside it, then moved over it). A temporary file starts readable by its owner
     * only, so a private key is never readable by others, not even for a moment.
     */
    private static void write(Path file, byte[] content, boolean ownerOnly) throws IOException {
        Path partial = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".partial");
        try {
            Files.write(partial, content);
            if (!ownerOnly && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
