package io.un0.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each pool could run within its power budget, as seen over the last two days, for the plan of deferred work: an
 * hour ahead is planned with what the pool could run at the middle of the same hour the day before (solar budgets
 * repeat by the day), and with the first figure seen while there is no day of history. The scheduler and the
 * simulator plan with this same class. Not thread-safe: one scheduler loop or one simulation owns it.
 */
public final class CapacityHistory {

    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration KEPT = Duration.ofDays(2);
    /** Where in the day-old hour its figure is read. */
    private static final Duration INTO_HOUR = Duration.ofMinutes(30);

    /** Per pool, its figure from each change on. */
    private final Map<String, TreeMap<Instant, Double>> seen = new HashMap<>();

    /** What {@code pool} could run at {@code at}, in evaluations per second; a figure older than the last one recorded is ignored. */
    public void record(String pool, Instant at, double evalsPerSecond) {
        TreeMap<Instant, Double> changes = seen.computeIfAbsent(pool, p -> new TreeMap<>());
        Map.Entry<Instant, Double> last = changes.lastEntry();
        if (last != null && (at.isBefore(last.getKey()) || last.getValue() == evalsPerSecond)) {
            return;
        }
        changes.put(at, evalsPerSecond);
        // The figure in force at the cutoff stays: a lookup just after it still needs it.
        Instant inForce = changes.floorKey(at.minus(KEPT));
        if (inForce != null) {
            changes.headMap(inForce, false).clear();
        }
    }

    /** The evaluations {@code pool} is expected to run in the hour from {@code hourStart}; 0 for a pool never seen. */
    public double evalsPerHour(String pool, Instant hourStart) {
        TreeMap<Instant, Double> changes = seen.get(pool);
        if (changes == null) {
            return 0;
        }
        Map.Entry<Instant, Double> dayBefore = changes.floorEntry(hourStart.minus(DAY).plus(INTO_HOUR));
        return (dayBefore != null ? dayBefore.getValue() : changes.firstEntry().getValue()) * 3600;
    }
}
