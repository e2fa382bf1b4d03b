package io.un0.sim.engine;

import io.un0.routing.Urgency;
import io.un0.vocabulary.Sci;
import java.util.Arrays;

/**
 * What one run of the simulator measured: per job, its energy, emissions and whether it met its deadline; per
 * site and budget interval, the average power against the budget in force.
 */
final class Ledger {

    private final double interval;
    private final double[][] siteJoules;
    private double[] interactiveLatencies = new double[1 << 16];
    private int interactiveCount;
    long jobs;
    long met;
    long shed;
    final long[] shedBy = new long[Urgency.values().length];
    final long[] missedBy = new long[Urgency.values().length];
    long images;
    double joules;
    double grams;
    double idleJoules;
    double idleGrams;
    long decisions;
    long policyNanos;
    long deferrals;

    Ledger(int sites, double horizonSeconds, double budgetInterval) {
        this.interval = budgetInterval;
        this.siteJoules = new double[sites][(int) Math.ceil(horizonSeconds / budgetInterval) + 1];
    }

    void idle(SimPool pool, double from, double seconds, double watts, double intensity) {
        double j = watts * seconds;
        idleJoules += j;
        idleGrams += Sci.operationalGrams(j, intensity);
        spread(pool.site, from, seconds, watts);
    }

    void draw(SimPool pool, double from, double seconds, double watts) {
        spread(pool.site, from, seconds, watts);
    }

    /** Adds a stretch of steady draw to the budget intervals it overlaps. */
    private void spread(int site, double from, double seconds, double watts) {
        double t = from;
        double end = from + seconds;
        while (t < end) {
            int b = (int) (t / interval);
            double until = Math.min(end, (b + 1) * interval);
            siteJoules[site][b] += watts * (until - t);
            t = until;
        }
    }

    void done(SimJob job, double enqueued, double at, double jobJoules, double jobGrams) {
        jobs++;
        images += job.images();
        joules += jobJoules;
        grams += jobGrams;
        if (at <= job.deadline() + 1e-9) {
            met++;
        } else {
            missedBy[job.urgency().ordinal()]++;
        }
        if (job.urgency() == Urgency.INTERACTIVE) {
            if (interactiveCount == interactiveLatencies.length) {
                interactiveLatencies = Arrays.copyOf(interactiveLatencies, interactiveCount * 2);
            }
            interactiveLatencies[interactiveCount++] = at - job.arrival();
        }
    }

    void shed(SimJob job) {
        jobs++;
        shed++;
        shedBy[job.urgency().ordinal()]++;
    }

    /** Intervals in which a site drew more on average than its budget then. */
    long violations(double[][] budgetWatts) {
        long n = 0;
        for (int s = 0; s < siteJoules.length; s++) {
            for (int b = 0; b < siteJoules[s].length && b < budgetWatts[s].length; b++) {
                if (siteJoules[s][b] / interval > budgetWatts[s][b] * (1 + 1e-9) + 1e-9) {
                    n++;
                }
            }
        }
        return n;
    }

    double interactivePercentile(double q) {
        if (interactiveCount == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(interactiveLatencies, interactiveCount);
        Arrays.sort(sorted);
        return sorted[Math.min(interactiveCount - 1, (int) Math.ceil(q * interactiveCount) - 1)];
    }
}
