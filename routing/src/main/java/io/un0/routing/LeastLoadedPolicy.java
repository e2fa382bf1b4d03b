package io.un0.routing;

import java.util.Comparator;
import java.util.Optional;

/**
 * Carbon-blind baseline: the least-loaded live pool that is allowed, serves an allowed precision and has room.
 * Prefers int8 where allowed (cheaper at equal class fidelity); ties go to the pool name, so decisions repeat.
 */
public final class LeastLoadedPolicy implements RoutingPolicy {

    @Override
    public Optional<Route> route(JobView job, FleetView fleet) {
        return fleet.pools().stream()
                .filter(p -> job.allowsRegion(p.region()))
                .filter(p -> p.headroom() >= job.images())
                .filter(p -> precisionFor(job, p) != null)
                .min(Comparator.comparingDouble(PoolView::load).thenComparing(PoolView::pool))
                .map(p -> new Route(p.pool(), precisionFor(job, p), job.steps(),
                        String.format("least loaded: %.0f %% of %d images queued", p.load() * 100, p.capacity())));
    }

    private static String precisionFor(JobView job, PoolView pool) {
        for (String precision : new String[] {"int8", "fp32"}) {
            if (pool.precisions().contains(precision) && job.allowsPrecision(precision)) {
                return precision;
            }
        }
        return null;
    }
}
