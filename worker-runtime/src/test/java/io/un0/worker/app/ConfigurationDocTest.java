package io.un0.worker.app;

import io.un0.kafka.KafkaConfig;
import io.un0.testing.ConfigurationDocs;

/** The workers' CONFIGURATION.md names every key they all read. */
class ConfigurationDocTest extends ConfigurationDocs {

    ConfigurationDocTest() {
        super(WorkerConfig.class, KafkaConfig.class);
    }
}
