package io.un0.routing;

import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.Precision;
import java.util.Map;
import java.util.Set;

/**
 * A pool as the policy sees it: its live workers summed up, and the power it may draw. Read-only.
 *
 * @param rates                  per precision served by every live worker: evaluations per second summed over them,
 *                               joules per evaluation averaged
 * @param queued                 images held or in transit to it
 * @param queuedEvals            evaluations those images need
 * @param urgentEvals            of those, what an interactive job waits behind: all of them where workers serve in
 *                               arrival order, only the interactive ones where they serve interactive work first
 * @param idleWatts              drawn by its workers with nothing to run
 * @param powerWatts             drawn now, as its workers' meters said
 * @param budgetWatts            the most it may draw: its own cap and its share of its site's
 * @param embodiedGramsPerSecond its hardware's embodied emissions per second of service life (SCI's M)
 */
public record PoolView(String pool, String site, String region, DeviceClass deviceClass, Map<Precision, Rate> rates,
                       int liveWorkers, int capacity, int queued, double queuedEvals, double urgentEvals, double idleWatts, double powerWatts,
                       double budgetWatts, double embodiedGramsPerSecond) {

    public PoolView {
        rates = Map.copyOf(rates);
    }

    public Set<Precision> precisions() {
        return rates.keySet();
    }

    /** With a queue served in arrival order: everything queued is ahead of an interactive job. */
    public PoolView withQueued(int images, double evals) {
        return withQueued(images, evals, evals);
    }

    public PoolView withQueued(int images, double evals, double urgent) {
        return new PoolView(pool, site, region, deviceClass, rates, liveWorkers, capacity, images, evals, urgent, idleWatts, powerWatts,
                budgetWatts, embodiedGramsPerSecond);
    }

    public PoolView withBudget(double watts) {
        return new PoolView(pool, site, region, deviceClass, rates, liveWorkers, capacity, queued, queuedEvals, urgentEvals, idleWatts,
                powerWatts, watts, embodiedGramsPerSecond);
    }

    public int headroom() {
        return Math.max(0, capacity - queued);
    }

    /**
     * Room for batch work: the headroom less what is kept for interactive work arriving meanwhile, the images this
     * pool runs at {@code precision} in {@code interactiveSeconds}, but never more than half its room.
     */
    public double batchHeadroom(Precision precision, double interactiveSeconds) {
        return headroom() - Math.min(budgetedEvalsPerSecond(precision) * interactiveSeconds, capacity / 2.0);
    }

    /** Queued work over capacity: 0 is idle, 1 is full. */
    public double load() {
        return capacity == 0 ? 1.0 : (double) queued / capacity;
    }

    /** The most evaluations per second this pool may run within its budget, at its fastest precision: what a plan counts on. */
    public double fastestBudgetedEvalsPerSecond() {
        double fastest = 0;
        for (Precision precision : rates.keySet()) {
            fastest = Math.max(fastest, budgetedEvalsPerSecond(precision));
        }
        return fastest;
    }

    /**
     * Evaluations per second this pool may run at {@code precision} within its budget: power rises linearly from
     * idle to full speed, so the budget caps the share of full speed. 0 where the budget does not cover idle.
     */
    public double budgetedEvalsPerSecond(Precision precision) {
        Rate rate = rates.get(precision);
        if (rate == null) {
            return 0;
        }
        double full = rate.fullWatts();
        if (budgetWatts >= full) {
            return rate.evalsPerSecond();
        }
        if (full <= idleWatts) {
            return 0;
        }
        double share = (budgetWatts - idleWatts) / (full - idleWatts);
        return share <= 0 ? 0 : rate.evalsPerSecond() * share;
    }
}
