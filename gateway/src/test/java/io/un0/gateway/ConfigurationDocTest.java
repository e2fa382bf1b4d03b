package io.un0.gateway;

import io.un0.auth.AuthConfig;
import io.un0.kafka.KafkaConfig;
import io.un0.testing.ConfigurationDocs;

/** The gateway's CONFIGURATION.md names every key of its configuration mapping. */
class ConfigurationDocTest extends ConfigurationDocs {

    ConfigurationDocTest() {
        super(GatewayConfig.class, AuthConfig.class, KafkaConfig.class);
    }
}
