package io.un0.routing;

import io.un0.vocabulary.Sci;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

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
        // The hour in force counts for what is left of it.
        double hourLeft = Math.max(0, 1 - Math.max(0, fleet.at().getEpochSecond() - plan.firstHour().getEpochSecond()) / 3600.0);
        return fleet.clearingSlots(order).price(plan.expectedEvalsPerHour(), hourLeft);
    }

    /**
     * Every slot the plan counts on, cheapest first, with the hour in force whole: what neither the instant within the
     * hour nor the expected work changes, so views that share order and plan hours share them.
     *
     * @param cheapestFirst the slots by gCO2e per evaluation
     * @param lastHour      the last hour ahead that any slot describes
     */
    record Slots(FleetView.CarbonOrder order, Instant firstHour, Map<String, double[]> usableEvals, Slot[] cheapestFirst, int lastHour) {

        static Slots of(FleetView fleet, FleetView.CarbonOrder order) {
            DeferralPlan plan = fleet.plan();
            List<PoolView> pools = fleet.pools();
            boolean[] seen = new boolean[pools.size()];
            List<Slot> slots = new ArrayList<>();
            int lastHour = 0;
            // The order is cheapest first, so a pool's first entry is its cheapest precision.
            for (FleetView.Entry e : order.entries()) {
                PoolView p = pools.get(e.index());
                if (seen[e.index()] || !plan.knows(p.pool()) || Double.isInfinite(e.gramsPerEval())) {
                    continue;
                }
                seen[e.index()] = true;
                slots.add(new Slot(e.gramsPerEval(), plan.usable(p.pool(), 0), true));
                GridSignal signal = fleet.grid().get(p.region());
                List<GridSignal.Point> forecast = signal == null || signal.intensity().stale() ? List.of() : signal.forecast();
                for (GridSignal.Point point : forecast) {
                    int k = plan.hour(point.from());
                    double usable = plan.usable(p.pool(), k);
                    if (k < 1 || Double.isInfinite(usable)) {
                        continue;
                    }
                    lastHour = Math.max(lastHour, k);
                    slots.add(new Slot(Sci.operationalGrams(e.joulesPerEval(), point.gramsPerKwh()) + e.embodiedPerEval(), usable, false));
                }
            }
            slots.sort(Comparator.comparingDouble(Slot::gramsPerEval));
            return new Slots(order, plan.firstHour(), plan.usableEvals(), slots.toArray(Slot[]::new), lastHour);
        }

        /** Whether these are the slots of {@code order} under {@code plan}'s hours (the same usable figures, not equal ones). */
        boolean sortedFor(FleetView.CarbonOrder order, DeferralPlan plan) {
            return this.order == order && firstHour.equals(plan.firstHour()) && usableEvals == plan.usableEvals();
        }

        /** The dearest slot that {@code expectedEvalsPerHour} reaches, {@code hourLeft} of the hour in force being left. */
        double price(double expectedEvalsPerHour, double hourLeft) {
            double demand = expectedEvalsPerHour * (hourLeft + lastHour);
            for (Slot slot : cheapestFirst) {
                demand -= slot.inForce() ? slot.evals() * hourLeft : slot.evals();
                if (demand <= 0) {
                    return slot.gramsPerEval();
                }
            }
            return Double.POSITIVE_INFINITY;
        }
    }

    /** @param inForce whether this is the hour in force, whose evaluations count for what is left of it */
    private record Slot(double gramsPerEval, double evals, boolean inForce) {
    }
}
