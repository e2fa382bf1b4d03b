package io.un0.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * Verifies signed JWTs (RS256 or ES256) against configured public keys: signature, issuer, audience, expiry. The
 * caller is the token's {@code sub}, its tenant the {@code tenant} claim, its roles the {@code groups} that name one.
 * A token verified once is remembered until it expires (the most recent {@link #REMEMBERED} of them), so that a
 * caller's every call does not pay for the signature and the parsing again: 0.3–0.4 ms of CPU per call where the
 * JVM compiles with C1 only, as the local mesh's do. The same string is the same signed claims, so nothing is
 * trusted that was not verified.
 */
public final class TokenVerifier {

    /** Distinct tokens remembered; each is a few hundred bytes. */
    static final int REMEMBERED = 1024;

    /** A verified token's caller, and the instant from which the token is refused (its expiry plus the clock skew). */
    private record Verified(Caller caller, Instant refusedFrom) {
    }

    private final JwtConsumer consumer;
    private final Duration clockSkew;
    private final Map<String, Verified> remembered = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
            return size() > REMEMBERED;
        }
    };

    public TokenVerifier(List<PublicKey> keys, String issuer, String audience, Duration clockSkew) {
        this.clockSkew = clockSkew;
        List<JsonWebKey> jwks = new ArrayList<>();
        for (PublicKey key : keys) {
            try {
                jwks.add(JsonWebKey.Factory.newJwk(key));
            } catch (JoseException e) {
                throw new IllegalArgumentException("unusable token key " + key.getAlgorithm() + ": " + e.getMessage(), e);
            }
        }
        JwksVerificationKeyResolver resolver = new JwksVerificationKeyResolver(jwks);
        // Tokens need not name their key: with several keys configured (a rotation), the one whose signature verifies wins.
        resolver.setDisambiguateWithVerifySignature(true);
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime().setRequireSubject()
                .setAllowedClockSkewInSeconds((int) clockSkew.toSeconds())
                .setExpectedIssuer(issuer).setExpectedAudience(audience)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setVerificationKeyResolver(resolver)
                .build();
    }

    /** The public keys of PEM files ({@code -----BEGIN PUBLIC KEY-----}, RSA or EC). */
    public static List<PublicKey> readPem(List<Path> files) {
        List<PublicKey> keys = new ArrayList<>();
        for (Path f : files) {
            try {
                String pem = Files.readString(f);
                String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
                keys.add(publicKey(Base64.getDecoder().decode(base64)));
            } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot read a public key from " + f + ": " + e.getMessage(), e);
            }
        }
        return keys;
    }

    private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        }
    }

    public Caller verify(String token) throws CredentialException {
        Instant now = Instant.now();
        synchronized (remembered) {
            Verified known = remembered.get(token);
            if (known != null && now.isBefore(known.refusedFrom())) {
                return known.caller();
            }
            remembered.remove(token);
        }
        Verified verified = verifyAnew(token);
        synchronized (remembered) {
            remembered.put(token, verified);
        }
        return verified.caller();
    }

    private Verified verifyAnew(String token) throws CredentialException {
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            throw new CredentialException("the bearer token is not valid: " + reason(e), e);
        }
        try {
            String tenant = claims.getStringClaimValue("tenant");
            if (tenant == null || tenant.isBlank()) {
                throw new CredentialException("the bearer token names no tenant (claim \"tenant\")");
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            if (claims.hasClaim("groups")) {
                claims.getStringListClaimValue("groups").forEach(g -> Role.fromCredential(g).ifPresent(roles::add));
            }
            Instant expires = Instant.ofEpochSecond(claims.getExpirationTime().getValue());
            return new Verified(new Caller(claims.getSubject(), tenant, roles, Caller.Mechanism.BEARER_TOKEN), expires.plus(clockSkew));
        } catch (MalformedClaimException e) {
            throw new CredentialException("the bearer token has a malformed claim: " + e.getMessage(), e);
        }
    }

    /** The first reason jose4j gives, without the token's content, which its full message repeats. */
    private static String reason(InvalidJwtException e) {
        return e.getErrorDetails().isEmpty() ? "unreadable" : e.getErrorDetails().get(0).getErrorMessage();
    }
}
