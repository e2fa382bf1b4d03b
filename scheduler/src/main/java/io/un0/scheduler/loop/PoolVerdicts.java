package io.un0.scheduler.loop;

import io.un0.routing.FleetView;
import io.un0.routing.JobView;
import io.un0.routing.PoolRefusals;
import io.un0.routing.PoolView;
import io.un0.scheduler.mapping.Precisions;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Why each live pool could not take a job, for the error its caller gets when the job is shed: the policy answers
 * only with a route or none, so what each pool lacked is read off the fleet view here.
 */
final class PoolVerdicts {

    private PoolVerdicts() {
    }

    /** {@code "2 live pools, 1 full, 1 over budget: a (ES, fp32/int8, 0 of 8 images free): full; b (...): over budget"} */
    static String of(JobView job, FleetView view) {
        if (view.pools().isEmpty()) {
            return "no live pool";
        }
        Map<String, Integer> counts = new TreeMap<>();
        StringBuilder pools = new StringBuilder();
        for (PoolView p : view.pools()) {
            String verdict = verdict(job, p, view.at());
            counts.merge(verdict, 1, Integer::sum);
            pools.append(pools.isEmpty() ? "" : "; ").append(describe(p)).append(": ").append(verdict);
        }
        return view.pools().size() + (view.pools().size() == 1 ? " live pool, " : " live pools, ")
                + counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")) + ": " + pools;
    }

    /** The first thing, in the order the policies check them, that keeps the pool from taking the job; else the policy's own limits. */
    static String verdict(JobView job, PoolView p, Instant now) {
        return PoolRefusals.firstFailed(job, p, now).orElse("refused by the policy");
    }

    private static String describe(PoolView p) {
        return p.pool() + " (" + p.region() + ", " + Precisions.named(p.precisions()) + ", "
                + p.headroom() + " of " + p.capacity() + " images free"
                + (Double.isFinite(p.budgetWatts()) ? String.format(", budget %.0f W", p.budgetWatts()) : "") + ")";
    }
}
