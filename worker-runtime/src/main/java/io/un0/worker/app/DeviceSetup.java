package io.un0.worker.app;

import io.un0.engine.EngineOptions;

/** What differs between worker apps: the execution providers their engines are opened with. Each app provides one bean. */
public interface DeviceSetup {

    /**
     * Called once at start, before any engine is opened, so that every precision of a worker runs on the same device.
     *
     * @throws IllegalStateException when the worker must not start; its message is what the operator reads
     */
    EngineOptions engineOptions(int intraOpThreads);
}
