package io.un0.routing;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The interactive work each pool took, hour by hour over the last two days, for the plan of deferred work: what
 * an hour ahead keeps free for interactive work is what the pool took at the same hour the day before (interactive
 * load repeats by the day). Before a day of history, half of each pool. The scheduler and the simulator plan with
 * this same class. Not thread-safe: one scheduler loop or one simulation owns it.
 */
public final class InteractiveHistory {

    private static final int HOURS_PER_DAY = 24;
    private static final int KEPT = 2 * HOURS_PER_DAY;
    /** Of a pool's capacity, what is kept for interactive work in an hour of which there is no history yet. */
    static final double SHARE_BEFORE_HISTORY = 0.5;

    private final long firstHour;
    private final Map<String, double[]> evals = new HashMap<>();
    /** Per pool and slot, the hour (since the epoch) whose work the slot holds. */
    private final Map<String, long[]> slotHours = new HashMap<>();

    /** @param since when recording started: hours a day before it have no history */
    public InteractiveHistory(Instant since) {
        this.firstHour = hourOf(since);
    }

    /** Interactive work sent to {@code pool} at {@code at}. */
    public void record(String pool, Instant at, double evaluations) {
        long hour = hourOf(at);
        int slot = (int) Math.floorMod(hour, KEPT);
        double[] e = evals.computeIfAbsent(pool, p -> new double[KEPT]);
        long[] h = slotHours.computeIfAbsent(pool, p -> {
            long[] empty = new long[KEPT];
            Arrays.fill(empty, Long.MIN_VALUE);
            return empty;
        });
        if (h[slot] != hour) {
            h[slot] = hour;
            e[slot] = 0;
        }
        e[slot] += evaluations;
    }

    /**
     * What of {@code capacityEvals} (the pool's evaluations in the hour from {@code hourStart}) deferred work may be
     * planned into: the capacity less the interactive work the pool took a day before, or less half before a day of
     * history.
     */
    public double usable(String pool, Instant hourStart, double capacityEvals) {
        long dayBefore = hourOf(hourStart) - HOURS_PER_DAY;
        double interactive;
        if (dayBefore < firstHour) {
            interactive = capacityEvals * SHARE_BEFORE_HISTORY;
        } else {
            int slot = (int) Math.floorMod(dayBefore, KEPT);
            long[] h = slotHours.get(pool);
            interactive = h != null && h[slot] == dayBefore ? evals.get(pool)[slot] : 0;
        }
        return Math.max(0, capacityEvals - interactive);
    }

    private static long hourOf(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 3600);
    }
}
