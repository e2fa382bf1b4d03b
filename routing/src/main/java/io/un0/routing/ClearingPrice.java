package io.un0.routing;

import io.un0.vocabulary.Sci;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The price (gCO2e per evaluation) at which the deferrable work expected over the plan's hours clears: fill every
 * (pool, hour) slot the plan counts on, cheapest first, as a placement with perfect foresight would, with the work that
 * {@link DeferralPlan#expectedEvalsPerHour} says will arrive over those hours; the dearest slot that work reaches is the
 * price. A slot at or below it is needed anyway, so holding a job out of such a slot now for a greener one later only
 * leaves it idle for good and pushes other work to a dearer slot. Derived from what the scheduler observes (arrivals,
 * capacity as recorded, the forecast); no constant of its own.
 */
final class ClearingPrice {

    private ClearingPrice() {
    }

    /**
     * The clearing price over {@code fleet}'s plan and forecast, each pool priced at its cheapest precision; negative
     * infinity where no deferrable work is expected (nothing needs a slot), infinite where the slots cannot hold it all.
     */
    static double of(FleetView fleet, FleetView.CarbonOrder order) {
        DeferralPlan plan = fleet.plan();
        if (!(plan.expectedEvalsPerHour() > 0)) {
            return Double.NEGATIVE_INFINITY;
        }
        List<PoolView> pools = fleet.pools();
        // The hour in force counts for what is left of it.
        double hourLeft = Math.max(0, 1 - Math.max(0, fleet.at().getEpochSecond() - plan.firstHour().getEpochSecond()) / 3600.0);
        boolean[] seen = new boolean[pools.size()];
        Slot[] slots = new Slot[16];
        int n = 0;
        int lastHour = 0;
        // The order is cheapest first, so a pool's first entry is its cheapest precision.
        for (FleetView.Entry e : order.entries()) {
            PoolView p = pools.get(e.index());
            if (seen[e.index()] || !plan.knows(p.pool()) || Double.isInfinite(e.gramsPerEval())) {
                continue;
            }
            seen[e.index()] = true;
            GridSignal signal = fleet.grid().get(p.region());
            List<GridSignal.Point> forecast = signal == null || signal.intensity().stale() ? List.of() : signal.forecast();
            if (n + 1 + forecast.size() > slots.length) {
                slots = Arrays.copyOf(slots, Math.max(2 * slots.length, n + 1 + forecast.size()));
            }
            slots[n++] = new Slot(e.gramsPerEval(), plan.usable(p.pool(), 0) * hourLeft);
            for (GridSignal.Point point : forecast) {
                int k = plan.hour(point.from());
                double usable = plan.usable(p.pool(), k);
                if (k < 1 || Double.isInfinite(usable)) {
                    continue;
                }
                lastHour = Math.max(lastHour, k);
                slots[n++] = new Slot(Sci.operationalGrams(e.joulesPerEval(), point.gramsPerKwh()) + e.embodiedPerEval(), usable);
            }
        }
        Arrays.sort(slots, 0, n, Comparator.comparingDouble(Slot::gramsPerEval));
        double demand = plan.expectedEvalsPerHour() * (hourLeft + lastHour);
        for (int i = 0; i < n; i++) {
            demand -= slots[i].evals();
            if (demand <= 0) {
                return slots[i].gramsPerEval();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private record Slot(double gramsPerEval, double evals) {
    }
}
