package io.un0.worker.edge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What only the edge worker is configured with. */
@ConfigMapping(prefix = "un0.worker.edge")
public interface EdgeConfig {

    /**
     * Execution providers in order of preference: {@code cpu}, or an NPU provider ({@code openvino}, {@code qnn},
     * {@code coreml}, {@code nnapi}), comma-separated.
     */
    @WithDefault("cpu")
    String provider();
}
