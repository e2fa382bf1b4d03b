package io.un0.deploy.mesh;

import io.un0.deploy.mesh.LocalCredentials.Caller;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalCredentialsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    @TempDir
    Path data;

    @Test
    void tokensVerifyAgainstThePublishedKeyWithEachCallersClaims() throws Exception {
        LocalCredentials c = LocalCredentials.ensure(data, at(NOW));
        PublicKey published = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(pem(c.tokenPublicKey(), "PUBLIC KEY")));
        Map<Caller, List<String>> expected = Map.of(
                Caller.TENANT_A, List.of("alice", "tenant-a", "client"),
                Caller.TENANT_B, List.of("bob", "tenant-b", "client"),
                Caller.OPERATOR, List.of("ops", "operators", "operator"));
        for (Caller caller : Caller.values()) {
            JwtClaims claims = new JwtConsumerBuilder().setVerificationKey(published)
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                    .setExpectedIssuer("un0").setExpectedAudience("un0-mesh").setRequireExpirationTime().setRequireIssuedAt()
                    .setEvaluationTime(org.jose4j.jwt.NumericDate.fromSeconds(NOW.getEpochSecond()))
                    .build().processToClaims(Files.readString(c.token(caller)).strip());
            assertEquals(expected.get(caller), List.of(claims.getSubject(), claims.getStringClaimValue("tenant"),
                    String.join(",", claims.getStringListClaimValue("groups"))), caller.name());
            assertEquals(Duration.ofDays(30).toSeconds(), claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
            assertEquals(NOW.getEpochSecond(), claims.getIssuedAt().getValue());
        }
        assertEquals(Set.of("tenant-a.jwt", "tenant-b.jwt", "operator.jwt"),
                Stream.of(Caller.values()).map(caller -> c.token(caller).getFileName().toString()).collect(Collectors.toSet()));
    }

    @Test
    void serverAndClientCertificatesChainToTheCaAndSayWhoTheyAre() throws Exception {
        LocalCredentials c = LocalCredentials.ensure(data, at(NOW));
        X509Certificate ca = certificate(c.caCertificate());
        X509Certificate server = certificate(c.serverCertificate());
        X509Certificate client = certificate(c.clientCertificate());
        for (X509Certificate leaf : List.of(server, client)) {
            PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
            pkix.setRevocationEnabled(false);
            pkix.setDate(Date.from(NOW));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), pkix);
        }
        assertTrue(ca.getBasicConstraints() >= 0, "the CA is a CA");
        assertTrue(Duration.between(NOW, ca.getNotAfter().toInstant()).toDays() >= 3649, "10 years");

        Set<List<?>> names = server.getSubjectAlternativeNames().stream().map(n -> List.copyOf(n)).collect(Collectors.toSet());
        assertEquals(Set.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")), names);
        assertTrue(server.getExtendedKeyUsage().contains(SERVER_AUTH));
        assertEquals(Map.of("CN", "alice", "O", "tenant-a", "OU", "client"), subject(client));
        assertTrue(client.getExtendedKeyUsage().contains(CLIENT_AUTH));

        assertPairs(server, privateKey(c.serverKey()));
        assertPairs(client, privateKey(c.clientKey()));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(c.trustStore())) {
            trust.load(in, LocalCredentials.TRUST_STORE_PASSWORD.toCharArray());
        }
        assertEquals(1, trust.size());
        String alias = trust.aliases().nextElement();
        assertTrue(trust.isCertificateEntry(alias), "the CA is a trusted certificate entry");
        assertEquals(ca, trust.getCertificate(alias));
    }

    @Test
    void privateKeysAreTheOwnersAlone() throws Exception {
        LocalCredentials c = LocalCredentials.ensure(data, at(NOW));
        if (!c.folder().getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        for (Path key : List.of(c.folder().resolve("ca.key"), c.serverKey(), c.clientKey(), c.tokenSigningKey(), c.kafkaLoginsFile())) {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(key), key.toString());
        }
        assertTrue(Files.getPosixFilePermissions(c.caCertificate()).contains(PosixFilePermission.OTHERS_READ));
    }

    @Test
    void aLaterRunReusesEveryFileUnchanged() throws Exception {
        LocalCredentials.ensure(data, at(NOW));
        Map<String, byte[]> first = contents(data.resolve("credentials"));
        assertEquals(Set.of("ca.crt", "ca.key", "server.crt", "server.key", "ca-truststore.p12", "token-signing.key", "token-public.pem",
                "tenant-a.jwt", "tenant-b.jwt", "operator.jwt", "tenant-a-client.crt", "tenant-a-client.key", "kafka-logins.properties"),
                first.keySet());
        LocalCredentials.ensure(data, at(NOW.plus(Duration.ofDays(28))));
        Map<String, byte[]> second = contents(data.resolve("credentials"));
        assertEquals(first.keySet(), second.keySet());
        first.forEach((name, bytes) -> assertArrayEquals(bytes, second.get(name), name));
    }

    @Test
    void everyKafkaPrincipalHasItsOwnPassword() throws Exception {
        LocalCredentials c = LocalCredentials.ensure(data, at(NOW));
        Set<String> passwords = new HashSet<>();
        for (LocalCredentials.KafkaPrincipal p : LocalCredentials.KafkaPrincipal.values()) {
            assertEquals(p.username(), c.kafkaLogin(p).username());
            assertTrue(c.kafkaLogin(p).password().length() >= 32, "at least 24 random bytes");
            passwords.add(c.kafkaLogin(p).password());
        }
        assertEquals(LocalCredentials.KafkaPrincipal.values().length, passwords.size());
    }

    @Test
    void onlyTokensExpiringWithinADayAreIssuedAgain() throws Exception {
        LocalCredentials.ensure(data, at(NOW));
        Map<String, byte[]> first = contents(data.resolve("credentials"));
        LocalCredentials.ensure(data, at(NOW.plus(Duration.ofDays(29).plusHours(1))));
        Map<String, byte[]> second = contents(data.resolve("credentials"));
        first.forEach((name, bytes) -> {
            if (name.endsWith(".jwt")) {
                assertNotEquals(new String(bytes), new String(second.get(name)), name);
            } else {
                assertArrayEquals(bytes, second.get(name), name);
            }
        });
    }

    @Test
    void aMissingServerCertificateIsIssuedAgainByTheSameCa() throws Exception {
        LocalCredentials c = LocalCredentials.ensure(data, at(NOW));
        byte[] ca = Files.readAllBytes(c.caCertificate());
        Files.delete(c.serverCertificate());
        LocalCredentials.ensure(data, at(NOW));
        assertArrayEquals(ca, Files.readAllBytes(c.caCertificate()));
        certificate(c.serverCertificate()).verify(certificate(c.caCertificate()).getPublicKey());
        assertPairs(certificate(c.serverCertificate()), privateKey(c.serverKey()));
    }

    @Test
    void settingsNameTheFilesTheServicesNeed() throws Exception {
        LocalCredentials c = LocalCredentials.ensure(data, at(NOW));
        Map<String, String> s = c.serviceSettings();
        assertEquals(c.serverCertificate().toAbsolutePath().toString(), s.get("quarkus.grpc.server.ssl.certificate"));
        assertEquals(c.serverKey().toAbsolutePath().toString(), s.get("quarkus.grpc.server.ssl.key"));
        assertEquals(c.trustStore().toAbsolutePath().toString(), s.get("quarkus.grpc.server.ssl.trust-store"));
        assertEquals("pkcs12", s.get("quarkus.grpc.server.ssl.trust-store-type"));
        assertEquals("un0-local", s.get("quarkus.grpc.server.ssl.trust-store-password"));
        assertEquals("REQUEST", s.get("quarkus.grpc.server.ssl.client-auth"));
        assertEquals("false", s.get("quarkus.grpc.server.plain-text"));
        assertEquals(c.tokenPublicKey().toAbsolutePath().toString(), s.get("un0.auth.token-keys"));
        assertEquals("un0", s.get("un0.auth.issuer"));
        assertEquals("un0-mesh", s.get("un0.auth.audience"));
        for (String key : List.of("quarkus.grpc.server.ssl.certificate", "quarkus.grpc.server.ssl.key", "quarkus.grpc.server.ssl.trust-store",
                "un0.auth.token-keys")) {
            assertTrue(Files.isRegularFile(Path.of(s.get(key))), key);
        }
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private static Map<String, byte[]> contents(Path folder) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path p : list.toList()) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static byte[] pem(Path file, String type) throws Exception {
        String text = Files.readString(file);
        assertTrue(text.startsWith("-----BEGIN " + type + "-----"), file + " starts with its " + type + " header");
        return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
    }

    private static X509Certificate certificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** PKCS#8, as the services' PEM readers expect. */
    private static PrivateKey privateKey(Path file) throws Exception {
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pem(file, "PRIVATE KEY")));
    }

    private static void assertPairs(X509Certificate certificate, PrivateKey key) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertTrue(verifier.verify(signature), "the key file is the certificate's key");
    }

    private static Map<String, String> subject(X509Certificate certificate) throws Exception {
        Map<String, String> fields = new HashMap<>();
        for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
            fields.put(rdn.getType(), rdn.getValue().toString());
        }
        return fields;
    }
}
