package io.un0.worker.gpu;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What only the GPU worker is configured with. */
@ConfigMapping(prefix = "un0.worker.gpu")
public interface GpuConfig {

    /**
     * Without a usable GPU, run on the CPU rather than refuse to start. Heartbeats then say CPU, so the scheduler
     * routes to this pool as the CPU pool it has become.
     */
    @WithDefault("false")
    boolean fallbackToCpu();
}
