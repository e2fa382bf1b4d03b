package io.un0.auth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * The apps' tests' token issuer: one RSA key for the whole test run, its public half in a PEM file to give a service
 * as {@code un0.auth.token-keys}, and tokens signed with it for issuer {@code un0} and audience {@code un0-mesh}.
 */
public final class TestTokens {

    private static final KeyPair KEY = rsaKeyPair();
    private static Path publicKeyFile;

    private TestTokens() {
    }

    /** The PEM file of the public key, written once per run. */
    public static synchronized Path publicKeyFile() {
        if (publicKeyFile == null) {
            try {
                Path f = Files.createTempFile("un0-test-token-key", ".pem");
                f.toFile().deleteOnExit();
                Files.writeString(f, "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(KEY.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
                publicKeyFile = f;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return publicKeyFile;
    }

    /** A token valid for ten minutes naming {@code subject} of {@code tenant} with the roles {@code groups}. */
    public static String token(String subject, String tenant, String... groups) {
        return sign(claims(subject, tenant, groups), KEY);
    }

    /** The claims of {@link #token}, for a test to change before signing. */
    public static JwtClaims claims(String subject, String tenant, String... groups) {
        JwtClaims c = new JwtClaims();
        c.setIssuer("un0");
        c.setAudience("un0-mesh");
        c.setSubject(subject);
        if (tenant != null) {
            c.setClaim("tenant", tenant);
        }
        c.setStringListClaim("groups", List.of(groups));
        c.setIssuedAtToNow();
        c.setExpirationTimeMinutesInTheFuture(10);
        return c;
    }

    /** {@code claims} signed RS256 with {@code key}: this run's key, or another that no service trusts. */
    public static String sign(JwtClaims claims, KeyPair key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key tokens are signed with; a test that needs a stranger's key makes one with {@link #rsaKeyPair}. */
    public static KeyPair key() {
        return KEY;
    }

    public static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
