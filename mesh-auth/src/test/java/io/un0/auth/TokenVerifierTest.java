package io.un0.auth;

import io.un0.auth.testing.TestTokens;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A token names its caller only when signed by a configured key, for this issuer and audience, unexpired, with a tenant. */
class TokenVerifierTest {

    private static final KeyPair KEY = TestTokens.key();
    private static final KeyPair OTHER_KEY = TestTokens.rsaKeyPair();
    private final TokenVerifier verifier = new TokenVerifier(List.of(OTHER_KEY.getPublic(), KEY.getPublic()), "un0", "un0-mesh", Duration.ofSeconds(30));

    private static JwtClaims claims(String tenant, String... groups) {
        return TestTokens.claims("alice", tenant, groups);
    }

    private static String sign(JwtClaims claims, KeyPair key) {
        return TestTokens.sign(claims, key);
    }

    @Test
    void aValidTokenNamesItsCallerTenantAndRoles() throws Exception {
        Caller c = verifier.verify(sign(claims("tenant-a", "client", "auditor"), KEY));
        assertEquals("alice", c.subject());
        assertEquals("tenant-a", c.tenant());
        assertEquals(Set.of(Role.CLIENT), c.roles(), "groups that are not roles of the mesh are ignored");
        assertEquals(Caller.Mechanism.BEARER_TOKEN, c.mechanism());
    }

    @Test
    void badTokensAreRefusedWithTheReason() throws Exception {
        assertThrows(CredentialException.class, () -> verifier.verify(sign(claims("tenant-a", "client"), TestTokens.rsaKeyPair())), "unknown key");
        JwtClaims expired = claims("tenant-a", "client");
        expired.setExpirationTimeMinutesInTheFuture(-5);
        String why = assertThrows(CredentialException.class, () -> verifier.verify(sign(expired, KEY))).getMessage();
        assertTrue(why.toLowerCase(Locale.ROOT).contains("expiration"), why);
        JwtClaims elsewhere = claims("tenant-a", "client");
        elsewhere.setAudience("another-service");
        assertThrows(CredentialException.class, () -> verifier.verify(sign(elsewhere, KEY)));
        assertTrue(assertThrows(CredentialException.class, () -> verifier.verify(sign(claims(null, "client"), KEY))).getMessage().contains("tenant"));
        assertThrows(CredentialException.class, () -> verifier.verify("not.a.token"));
        String token = sign(claims("tenant-a", "client"), KEY);
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + sign(claims("tenant-b", "client", "operator"), KEY).split("\\.")[1] + "." + parts[2];
        assertThrows(CredentialException.class, () -> verifier.verify(forged), "claims swapped under another token's signature");
    }

    @Test
    void aTokenVerifiedBeforeIsStillRefusedOnceItHasExpired() throws Exception {
        TokenVerifier noSkew = new TokenVerifier(List.of(KEY.getPublic()), "un0", "un0-mesh", Duration.ZERO);
        JwtClaims shortLived = claims("tenant-a", "client");
        // Expiry is in whole seconds: two seconds ahead leaves at least one to verify in.
        shortLived.setExpirationTime(NumericDate.fromSeconds(Instant.now().getEpochSecond() + 2));
        String token = sign(shortLived, KEY);
        assertEquals("alice", noSkew.verify(token).subject());
        assertEquals("alice", noSkew.verify(token).subject(), "remembered");
        Thread.sleep(Duration.between(Instant.now(), Instant.ofEpochSecond(shortLived.getExpirationTime().getValue())).toMillis() + 1100);
        assertThrows(CredentialException.class, () -> noSkew.verify(token));
    }
}
