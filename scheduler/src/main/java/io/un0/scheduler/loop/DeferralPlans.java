package io.un0.scheduler.loop;

import io.un0.routing.CapacityHistory;
import io.un0.routing.DeferralPlan;
import io.un0.routing.FleetView;
import io.un0.routing.InteractiveHistory;
import io.un0.routing.PoolView;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The plan of deferred work the scheduler keeps for the policy: per pool and hour ahead, what the pool could run within
 * its budget at that time the day before ({@link CapacityHistory}), less the interactive work it took at that hour the
 * day before (half of it before a day of history: {@link InteractiveHistory}), less the deferred jobs held for that
 * pool and hour; priced with the deferrable work arriving per hour ({@link io.un0.routing.DeferrableArrivals}). The
 * simulator plans by the same three classes.
 */
final class DeferralPlans {

    private DeferralPlans() {
    }

    static DeferralPlan of(FleetView view, Collection<PendingJob> held, int hours, InteractiveHistory interactive, CapacityHistory capacity,
                           double expectedEvalsPerHour) {
        Instant first = view.at().truncatedTo(ChronoUnit.HOURS);
        Map<String, double[]> usable = new HashMap<>();
        Map<String, double[]> free = new HashMap<>();
        for (PoolView p : view.pools()) {
            double[] u = new double[hours];
            for (int k = 0; k < hours; k++) {
                Instant hourStart = first.plus(Duration.ofHours(k));
                u[k] = interactive.usable(p.pool(), hourStart, capacity.evalsPerHour(p.pool(), hourStart));
            }
            usable.put(p.pool(), u);
            free.put(p.pool(), u.clone());
        }
        for (PendingJob job : held) {
            // Jobs waiting for room have no planned pool.
            double[] f = free.get(job.plannedPool());
            if (f == null) {
                continue;
            }
            long k = (job.holdUntil().getEpochSecond() - first.getEpochSecond()) / 3600;
            if (k >= 0 && k < hours) {
                f[(int) k] -= job.plannedEvals();
            }
        }
        return new DeferralPlan(first, usable, free, expectedEvalsPerHour);
    }
}
