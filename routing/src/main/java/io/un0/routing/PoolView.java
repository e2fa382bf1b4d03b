package io.un0.routing;

import java.util.Set;

/**
 * A pool as the policy sees it: its live workers summed up. Read-only.
 *
 * @param precisions served by every live worker of the pool
 */
public record PoolView(String pool, String site, String region, DeviceClass deviceClass, Set<String> precisions,
                       int liveWorkers, int capacity, int queued) {

    public PoolView {
        precisions = Set.copyOf(precisions);
    }

    public PoolView withQueued(int images) {
        return new PoolView(pool, site, region, deviceClass, precisions, liveWorkers, capacity, images);
    }

    public int headroom() {
        return Math.max(0, capacity - queued);
    }

    /** Queued work over capacity: 0 is idle, 1 is full. */
    public double load() {
        return capacity == 0 ? 1.0 : (double) queued / capacity;
    }
}
