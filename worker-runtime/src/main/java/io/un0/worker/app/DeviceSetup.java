package io.un0.worker.app;

import io.un0.engine.EngineOptions;
import java.util.OptionalInt;

/**
 * What differs between worker apps: the execution providers their engines are opened with, and the GPU they run on
 * for metering. Each app provides one bean.
 */
public interface DeviceSetup {

    /**
     * Called once at start, before any engine is opened, so that every precision of a worker runs on the same device.
     *
     * @throws IllegalStateException when the worker must not start; its message is what the operator reads
     */
    EngineOptions engineOptions(int intraOpThreads);

    /**
     * The NVML index of the NVIDIA GPU the engines run on, so that {@code un0.worker.power.meter=auto} meters that GPU
     * rather than the CPU. Asked after {@link #engineOptions}; empty where they run on no NVIDIA GPU, or the app cannot
     * tell which (it then logs why).
     */
    default OptionalInt nvmlDevice() {
        return OptionalInt.empty();
    }
}
