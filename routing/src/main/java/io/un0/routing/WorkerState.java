package io.un0.routing;

import java.time.Instant;
import java.util.Set;

/**
 * What one worker's latest heartbeat said.
 *
 * @param capacity   images the worker can hold in flight
 * @param queueDepth images it holds now
 * @param precisions model precisions it serves ("fp32", "int8")
 */
public record WorkerState(String worker, String pool, String site, String region, DeviceClass deviceClass,
                          Set<String> precisions, int capacity, int queueDepth, Instant seen) {

    public WorkerState {
        precisions = Set.copyOf(precisions);
    }
}
