package io.un0.worker.edge;

import io.un0.testing.ConfigurationDocs;

/** The edge worker's CONFIGURATION.md names its own keys. */
class ConfigurationDocTest extends ConfigurationDocs {

    ConfigurationDocTest() {
        super(EdgeConfig.class);
    }
}
