package io.un0.routing;

import io.un0.vocabulary.Precision;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

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
                .flatMap(p -> precisionFor(job, p).map(precision -> new Candidate(p, precision)).stream())
                .min(Comparator.comparingDouble((Candidate c) -> c.pool().load()).thenComparing(c -> c.pool().pool()))
                .map(c -> Route.now(c.pool().pool(), c.precision(), job.steps(),
                        String.format("least loaded: %.0f %% of %d images queued", c.pool().load() * 100, c.pool().capacity()), fleet.at()));
    }

    private record Candidate(PoolView pool, Precision precision) {
    }

    private static Optional<Precision> precisionFor(JobView job, PoolView pool) {
        return Stream.of(Precision.INT8, Precision.FP32)
                .filter(precision -> pool.precisions().contains(precision) && job.allowsPrecision(precision))
                .findFirst();
    }
}
