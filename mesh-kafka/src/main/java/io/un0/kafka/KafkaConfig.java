package io.un0.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.NotBlank;
import java.util.Optional;

/** Where every app of the mesh finds the broker and who it is to it; the same keys for every app. */
@ConfigMapping(prefix = "un0.kafka")
public interface KafkaConfig {

    @WithDefault("127.0.0.1:9092")
    @NotBlank
    String bootstrapServers();

    /** The app's SCRAM principal; unset: plain text, for a broker nobody else reaches. */
    Optional<String> username();

    /** The principal's password; required with {@link #username()}. */
    Optional<String> password();

    default KafkaAccess access() {
        if (username().isPresent() != password().isPresent()) {
            throw new IllegalArgumentException("un0.kafka.username and un0.kafka.password go together: set both or neither");
        }
        return username().map(u -> KafkaAccess.as(bootstrapServers(), new KafkaLogin(u, password().orElseThrow())))
                .orElse(KafkaAccess.plain(bootstrapServers()));
    }
}
