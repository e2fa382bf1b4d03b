package io.un0.sim.baseline;

import io.un0.routing.FleetView;
import io.un0.routing.JobView;
import io.un0.routing.PoolView;
import io.un0.routing.Route;
import io.un0.routing.RoutingPolicy;
import io.un0.vocabulary.Precision;
import java.util.List;
import java.util.Optional;

/**
 * Baseline: the next pool in turn that is allowed and has room, int8 where served. Blind to load, carbon, budgets
 * and deadlines. Unlike the scheduler's policies it keeps a cursor between calls, which is why it lives here.
 */
public final class RoundRobin implements RoutingPolicy {

    private int next;

    @Override
    public Optional<Route> route(JobView job, FleetView fleet) {
        List<PoolView> pools = fleet.pools();
        for (int i = 0; i < pools.size(); i++) {
            PoolView p = pools.get((next + i) % pools.size());
            Precision precision = PreferredPrecision.of(job, p);
            if (precision != null && job.allowsRegion(p.region()) && p.headroom() >= job.images()) {
                next = (next + i + 1) % pools.size();
                return Optional.of(Route.now(p.pool(), precision, job.steps(), "round robin", fleet.at()));
            }
        }
        return Optional.empty();
    }
}
