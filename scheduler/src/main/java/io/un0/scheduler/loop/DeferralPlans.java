package io.un0.scheduler.loop;

import io.un0.routing.DeferralPlan;
import io.un0.routing.FleetView;
import io.un0.routing.PoolView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The plan of deferred work the scheduler keeps for the policy: per pool and hour ahead, what the pool can run within
 * its budget now, half of it kept for interactive work, less the deferred jobs held for that pool and hour. Half is
 * the simulator's assumption too before it has a day of history; the scheduler keeps no history of interactive load
 * yet, so it stays at half.
 */
final class DeferralPlans {

    /** Of each pool's capacity, the share deferred work may be planned into. */
    static final double DEFERRABLE_SHARE = 0.5;

    private DeferralPlans() {
    }

    static DeferralPlan of(FleetView view, Collection<PendingJob> held, int hours) {
        Instant first = view.at().truncatedTo(ChronoUnit.HOURS);
        Map<String, double[]> usable = new HashMap<>();
        Map<String, double[]> free = new HashMap<>();
        for (PoolView p : view.pools()) {
            double perHour = p.precisions().stream().mapToDouble(p::budgetedEvalsPerSecond).max().orElse(0) * 3600 * DEFERRABLE_SHARE;
            double[] u = new double[hours];
            Arrays.fill(u, perHour);
            usable.put(p.pool(), u);
            free.put(p.pool(), u.clone());
        }
        for (PendingJob job : held) {
            double[] f = free.get(job.plannedPool());
            if (f == null || !job.deferred()) {
                continue;
            }
            long k = (job.holdUntil().getEpochSecond() - first.getEpochSecond()) / 3600;
            if (k >= 0 && k < hours) {
                f[(int) k] -= job.plannedEvals();
            }
        }
        return new DeferralPlan(first, usable, free);
    }
}
