package io.un0.auth;

import java.util.Optional;

/**
 * Who an {@code Authorization: Bearer <JWT>} header names, under the service's {@code un0.auth.*} keys: the one
 * reading of a bearer token, for gRPC calls ({@link CallerInterceptor}) and for HTTP requests alike.
 */
public final class BearerTokens {

    private static final String BEARER = "Bearer ";

    /** Off: every caller is {@link Caller#UNAUTHENTICATED}, with every role. */
    private final boolean authenticating;
    /** Empty where no token keys are configured: then only client certificates identify callers. */
    private final Optional<TokenVerifier> tokens;

    public BearerTokens(AuthConfig config) {
        this.authenticating = config.enabled();
        this.tokens = config.tokenKeys().filter(k -> !k.isEmpty()).map(keys -> new TokenVerifier(TokenVerifier.readPem(keys),
                config.issuer(), config.audience(), config.clockSkew()));
    }

    public boolean authenticating() {
        return authenticating;
    }

    /** @param authorization the header's value, {@code Bearer <token>} */
    public Caller caller(String authorization) throws CredentialException {
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new CredentialException("the authorization header must be \"Bearer <token>\"");
        }
        TokenVerifier verifier = tokens.orElseThrow(() -> new CredentialException(
                "this service verifies no bearer tokens (un0.auth.token-keys is not set); present a client certificate"));
        return verifier.verify(authorization.substring(BEARER.length()).trim());
    }
}
