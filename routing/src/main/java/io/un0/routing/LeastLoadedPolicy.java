package io.un0.routing;

import io.un0.vocabulary.Precision;
import java.util.Optional;

/**
 * Carbon-blind baseline: the least-loaded live pool that is allowed, serves an allowed precision and has room.
 * Prefers int8 where allowed (cheaper at equal class fidelity); ties go to the pool name, so decisions repeat.
 * A plain pass over the pools: the scheduler runs it beside every decision for the sustainability reports.
 */
public final class LeastLoadedPolicy implements RoutingPolicy {

    private static final Precision[] PREFERENCE = {Precision.INT8, Precision.FP32};

    @Override
    public Optional<Route> route(JobView job, FleetView fleet) {
        PoolView best = null;
        Precision bestPrecision = null;
        for (PoolView p : fleet.pools()) {
            if (p.headroom() < job.images() || !job.allowsRegion(p.region())) {
                continue;
            }
            Precision precision = precisionFor(job, p);
            if (precision != null && (best == null || p.load() < best.load() || (p.load() == best.load() && p.pool().compareTo(best.pool()) < 0))) {
                best = p;
                bestPrecision = precision;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(Route.now(best.pool(), bestPrecision, job.steps(),
                String.format("least loaded: %.0f %% of %d images queued", best.load() * 100, best.capacity()), fleet.at()));
    }

    /** Int8 where the pool runs it and the job allows it, else fp32 likewise; null where neither. */
    private static Precision precisionFor(JobView job, PoolView pool) {
        for (Precision precision : PREFERENCE) {
            if (pool.precisions().contains(precision) && job.allowsPrecision(precision)) {
                return precision;
            }
        }
        return null;
    }
}
