package io.un0.sim.baseline;

import io.un0.routing.FleetView;
import io.un0.routing.GridSignal;
import io.un0.routing.JobView;
import io.un0.routing.PoolView;
import io.un0.routing.Route;
import io.un0.routing.RoutingPolicy;
import io.un0.vocabulary.Precision;
import java.util.Optional;

/**
 * Baseline: the allowed pool with room on the grid of lowest intensity right now, least loaded among equals, as a
 * carbon-aware router without an energy model would do it. Blind to joules per image, budgets, deadlines, and the
 * forecast.
 */
public final class CarbonGreedy implements RoutingPolicy {

    @Override
    public Optional<Route> route(JobView job, FleetView fleet) {
        PoolView best = null;
        Precision bestPrecision = null;
        double bestIntensity = Double.POSITIVE_INFINITY;
        for (PoolView p : fleet.pools()) {
            Precision precision = PreferredPrecision.of(job, p);
            if (precision == null || !job.allowsRegion(p.region()) || p.headroom() < job.images()) {
                continue;
            }
            GridSignal signal = fleet.grid().get(p.region());
            double intensity = signal == null ? Double.POSITIVE_INFINITY : signal.intensity().gramsPerKwh();
            if (best == null || intensity < bestIntensity || intensity == bestIntensity && p.load() < best.load()) {
                best = p;
                bestPrecision = precision;
                bestIntensity = intensity;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(Route.now(best.pool(), bestPrecision, job.steps(), "greenest grid now: " + bestIntensity + " g/kWh", fleet.at()));
    }
}
