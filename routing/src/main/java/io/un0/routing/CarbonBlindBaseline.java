package io.un0.routing;

import java.util.Optional;

/**
 * What carbon-blind routing would do with a job on the same view of the fleet: {@link LeastLoadedPolicy}'s route (the
 * least-loaded pool with room, now, at the requested steps), priced by the SCI model carbon-aware routing prices its
 * own options by. The baseline a sustainability report weighs the routes actually taken against.
 */
public final class CarbonBlindBaseline {

    private static final RoutingPolicy BLIND = new LeastLoadedPolicy();

    private CarbonBlindBaseline() {
    }

    /** Empty where carbon-blind routing would find no pool with room now either. */
    public static Optional<Option> of(JobView job, FleetView fleet, double unknownGramsPerKwh) {
        return BLIND.route(job, fleet).map(r -> fleet.price(r.pool(), r.precision(), r.steps(), job.images(), unknownGramsPerKwh));
    }
}
