package io.un0.worker.gpu;

import io.un0.testing.ConfigurationDocs;

/** The GPU worker's CONFIGURATION.md names its own keys. */
class ConfigurationDocTest extends ConfigurationDocs {

    ConfigurationDocTest() {
        super(GpuConfig.class);
    }
}
