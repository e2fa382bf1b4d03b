package io.un0.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Where the mesh's broker is and who this process is to it: without a login, plain text (a broker on this machine
 * that nobody else reaches, as in the tests); with one, SASL/SCRAM as that principal.
 */
public record KafkaAccess(String bootstrapServers, Optional<KafkaLogin> login) {

    public static KafkaAccess plain(String bootstrapServers) {
        return new KafkaAccess(bootstrapServers, Optional.empty());
    }

    public static KafkaAccess as(String bootstrapServers, KafkaLogin login) {
        return new KafkaAccess(bootstrapServers, Optional.of(login));
    }

    /** What every client of this process is configured with: the address, and the login where there is one. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        login.ifPresent(l -> {
            config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            config.put(SaslConfigs.SASL_MECHANISM, KafkaLogin.MECHANISM);
            config.put(SaslConfigs.SASL_JAAS_CONFIG, l.jaasConfig());
        });
        return config;
    }
}
