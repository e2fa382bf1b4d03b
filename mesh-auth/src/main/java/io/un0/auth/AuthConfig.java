package io.un0.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMin;

/** How a service of the mesh identifies its gRPC callers; the same keys for the gateway and the scheduler. */
@ConfigMapping(prefix = "un0.auth")
public interface AuthConfig {

    /** Off only by explicit choice: then every caller is anonymous, in tenant {@code default}, with every role. */
    @WithDefault("true")
    boolean enabled();

    /** PEM public keys (RSA or EC) whose signatures make a bearer token valid; several during a key rotation. */
    Optional<List<Path>> tokenKeys();

    /** The issuer ({@code iss}) a token must name. */
    @WithDefault("un0")
    @NotBlank
    String issuer();

    /** The audience ({@code aud}) a token must name. */
    @WithDefault("un0-mesh")
    @NotBlank
    String audience();

    /** How far apart the clocks of the token's issuer and this service may be. */
    @WithDefault("30s")
    @DurationMin(nanos = 0)
    Duration clockSkew();
}
