package io.un0.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a caller may do: clients generate and manage their own batches; operators manage budgets and quotas and read the fleet. */
public enum Role {
    CLIENT,
    OPERATOR;

    /** The name credentials carry: a token's {@code groups} entry, a certificate's OU. */
    public String credentialName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Empty for a name that is not a role of the mesh (a credential may carry other groups: they are ignored). */
    public static Optional<Role> fromCredential(String name) {
        return Arrays.stream(values()).filter(r -> r.credentialName().equals(name)).findFirst();
    }
}
