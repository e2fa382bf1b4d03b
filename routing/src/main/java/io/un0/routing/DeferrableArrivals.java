package io.un0.routing;

import java.time.Instant;
import java.util.Arrays;

/**
 * The deferrable work that arrived over the last day, hour by hour: the rate at which new deferrable work is expected to
 * keep arriving, which the plan of deferred work prices the hours ahead with ({@link DeferralPlan#expectedEvalsPerHour}).
 * Before a whole day, the rate over the hours seen so far. The scheduler and the simulator keep the same class. Not
 * thread-safe: one scheduler loop or one simulation owns it.
 */
public final class DeferrableArrivals {

    private static final int HOURS_PER_DAY = 24;

    private final long firstHour;
    private final double[] evals = new double[HOURS_PER_DAY];
    /** Per slot, the hour (since the epoch) whose arrivals it holds. */
    private final long[] slotHours = new long[HOURS_PER_DAY];

    /** @param since when recording started */
    public DeferrableArrivals(Instant since) {
        this.firstHour = hourOf(since);
        Arrays.fill(slotHours, Long.MIN_VALUE);
    }

    /** A deferrable job of {@code evaluations} arrived at {@code at}. */
    public void record(Instant at, double evaluations) {
        long hour = hourOf(at);
        int slot = (int) Math.floorMod(hour, HOURS_PER_DAY);
        if (slotHours[slot] != hour) {
            slotHours[slot] = hour;
            evals[slot] = 0;
        }
        evals[slot] += evaluations;
    }

    /**
     * Evaluations per hour over the whole hours before {@code now}'s, back to a day (fewer before a day of history);
     * 0 before a whole hour was seen.
     */
    public double perHour(Instant now) {
        long current = hourOf(now);
        long hours = Math.min(HOURS_PER_DAY, current - firstHour);
        if (hours <= 0) {
            return 0;
        }
        double sum = 0;
        for (long h = current - hours; h < current; h++) {
            int slot = (int) Math.floorMod(h, HOURS_PER_DAY);
            if (slotHours[slot] == h) {
                sum += evals[slot];
            }
        }
        return sum / hours;
    }

    private static long hourOf(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 3600);
    }
}
