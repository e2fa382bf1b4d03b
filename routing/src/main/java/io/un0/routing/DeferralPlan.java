package io.un0.routing;

import java.time.Instant;
import java.util.Map;

/**
 * What the caller expects each pool to have free for deferred work in the hours ahead: its expected capacity (its
 * budget as forecast, less the interactive load expected then) minus the deferred work already planned there. The
 * policy spreads deferred jobs over these slots instead of sending them all to the one greenest hour.
 *
 * @param firstHour   the start of the hour that index 0 describes: the hour in force
 * @param usableEvals per pool and hour: evaluations the pool is expected to have for deferred work in all
 * @param freeEvals   per pool and hour: what of that is not planned yet
 * @param expectedEvalsPerHour deferrable work expected to arrive per hour ({@link DeferrableArrivals}); 0 where unknown
 */
public record DeferralPlan(Instant firstHour, Map<String, double[]> usableEvals, Map<String, double[]> freeEvals, double expectedEvalsPerHour) {

    /** No plan: every hour counts as free, so deferral follows the forecast alone. */
    public static final DeferralPlan NONE = new DeferralPlan(Instant.EPOCH, Map.of(), Map.of(), 0);

    public DeferralPlan {
        usableEvals = Map.copyOf(usableEvals);
        freeEvals = Map.copyOf(freeEvals);
    }

    /** Hour index of {@code at}, counted from {@link #firstHour}. */
    int hour(Instant at) {
        return (int) Math.floorDiv(at.getEpochSecond() - firstHour.getEpochSecond(), 3600);
    }

    /** Evaluations still free in {@code pool} in hour {@code k}; unbounded where the plan does not say. */
    double free(String pool, int k) {
        double[] free = freeEvals.get(pool);
        return free == null || k < 0 || k >= free.length ? Double.POSITIVE_INFINITY : free[k];
    }

    boolean knows(String pool) {
        return usableEvals.containsKey(pool);
    }

    /** Evaluations the pool is expected to have for deferred work in hour {@code k}; unbounded where the plan does not say. */
    double usable(String pool, int k) {
        double[] usable = usableEvals.get(pool);
        return usable == null || k < 0 || k >= usable.length ? Double.POSITIVE_INFINITY : usable[k];
    }

    /** Evaluations planned before a new job in hour {@code k}: the new one starts after them. */
    double planned(String pool, int k) {
        double[] usable = usableEvals.get(pool);
        return usable == null || k < 0 || k >= usable.length ? 0 : usable[k] - free(pool, k);
    }
}
