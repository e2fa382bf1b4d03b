package io.un0.routing;

import java.time.Instant;
import java.util.List;

/** A snapshot of the live fleet at one instant: pools with at least one worker heard from recently. Read-only. */
public record FleetView(Instant at, List<PoolView> pools) {

    public FleetView {
        pools = List.copyOf(pools);
    }

    /** The same fleet with {@code images} more queued in {@code pool}: a job just sent there. */
    public FleetView reserve(String pool, int images) {
        return new FleetView(at, pools.stream().map(p -> p.pool().equals(pool) ? p.withQueued(p.queued() + images) : p).toList());
    }
}
