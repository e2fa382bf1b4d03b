package io.un0.auth;

import java.util.Set;

/**
 * Who is calling, as their credential says: never taken from a request's fields.
 *
 * @param subject   the token's {@code sub} or the certificate's CN
 * @param tenant    whose jobs, batches, results, accounting and quota the call acts on
 * @param roles     what the caller may do
 * @param mechanism how the caller was identified, for logs and refusals
 */
public record Caller(String subject, String tenant, Set<Role> roles, Mechanism mechanism) {

    /** How a caller was identified. */
    public enum Mechanism {
        BEARER_TOKEN,
        CLIENT_CERTIFICATE,
        /** {@code un0.auth.enabled=false}: every call is this one caller, with every role. */
        AUTHENTICATION_OFF
    }

    /** The tenant of callers whose authentication is off, and of Kafka batches that name none. */
    public static final String DEFAULT_TENANT = "default";

    /** The one caller of a service whose authentication is off. */
    public static final Caller UNAUTHENTICATED = new Caller("anonymous", DEFAULT_TENANT, Set.of(Role.values()), Mechanism.AUTHENTICATION_OFF);

    public Caller {
        if (subject.isBlank() || tenant.isBlank()) {
            throw new IllegalArgumentException("a caller needs a subject and a tenant");
        }
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    @Override
    public String toString() {
        return subject + " of tenant " + tenant + " " + roles.stream().map(Role::credentialName).sorted().toList();
    }
}
