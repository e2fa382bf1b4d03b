package io.un0.sim.engine;

import io.un0.routing.PoolView;
import io.un0.routing.Rate;
import io.un0.routing.Urgency;
import io.un0.sim.scenario.Traces;
import io.un0.vocabulary.Precision;
import io.un0.vocabulary.Sci;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One pool as a server with two lanes, interactive work served before batch work (a batch job in progress waits
 * while interactive work runs, then resumes), each lane first-in first-out, at a share of full speed: 1 where nothing
 * caps it, less where the scheduler keeps it within its power budget. Power rises linearly from idle to full speed, so each
 * evaluation draws the same energy above idle at any speed; what a slower pool adds is idle time.
 */
final class SimPool {

    private static final Precision[] PRECISIONS = Precision.values();

    final int index;
    final String name;
    final String region;
    final int site;
    private final double idleWatts;
    private final double embodiedPerSecond;
    private final ArrayDeque<Work> interactive = new ArrayDeque<>();
    private final ArrayDeque<Work> batch = new ArrayDeque<>();
    int queuedImages;
    double queuedEvals;
    double urgentEvals;
    private double clock;

    SimPool(int index, String name, String region, int site, double idleWatts, double embodiedGramsPerHour) {
        this.index = index;
        this.name = name;
        this.region = region;
        this.site = site;
        this.idleWatts = idleWatts;
        this.embodiedPerSecond = embodiedGramsPerHour / 3600;
    }

    void enqueue(SimJob job, Precision precision, int steps, Rate rate, double at) {
        double evals = (double) job.images() * steps;
        Work w = new Work(job, precision, evals, rate, at);
        if (urgent(w)) {
            interactive.add(w);
            urgentEvals += evals;
        } else {
            batch.add(w);
        }
        queuedImages += job.images();
        queuedEvals += evals;
    }

    /**
     * Runs the queue up to {@code to}.
     *
     * @param view the pool as budgeted now; null to run flat out whatever its budget
     */
    void advance(double to, PoolView view, Traces traces, Ledger ledger) {
        while (clock < to) {
            Work w = interactive.isEmpty() ? batch.peek() : interactive.peek();
            double speed = w == null ? 0 : view == null ? 1 : view.budgetedEvalsPerSecond(w.precision) / w.rate.evalsPerSecond();
            if (w == null || speed <= 0) {
                ledger.idle(this, clock, to - clock, idleWatts, traces.intensity(region, clock));
                clock = to;
                return;
            }
            double evalsPerSecond = w.rate.evalsPerSecond() * speed;
            double done = clock + w.evalsLeft / evalsPerSecond;
            double end = Math.min(to, done);
            double seconds = end - clock;
            double watts = idleWatts + (w.rate.fullWatts() - idleWatts) * speed;
            double joules = watts * seconds;
            w.joules += joules;
            w.grams += Sci.operationalGrams(joules, traces.intensity(region, clock)) + embodiedPerSecond * seconds;
            ledger.draw(this, clock, seconds, watts);
            if (done <= to) {
                queuedEvals -= w.evalsLeft;
                queuedImages -= w.job.images();
                if (urgent(w)) {
                    urgentEvals -= w.evalsLeft;
                    interactive.poll();
                } else {
                    batch.poll();
                }
                // An emptied lane holds nothing, not the rounding left from subtracting its work piece by piece.
                if (interactive.isEmpty()) {
                    urgentEvals = 0;
                    if (batch.isEmpty()) {
                        queuedEvals = 0;
                    }
                }
                clock = done;
                ledger.done(w.job, w.enqueued, done, w.joules, w.grams);
            } else {
                double evals = seconds * evalsPerSecond;
                w.evalsLeft -= evals;
                queuedEvals -= evals;
                if (urgent(w)) {
                    urgentEvals -= evals;
                }
                clock = to;
            }
        }
    }

    /**
     * When the queue runs dry, at the speed {@code view} allows (flat out where null); infinite when idle or held to no
     * speed. A job kept waiting for room is offered again by then, so that no pool stands idle while work waits.
     */
    double drainedAt(PoolView view) {
        // Each precision's budgeted speed read once, not once per queued job.
        double[] budgeted = new double[PRECISIONS.length];
        if (view != null) {
            for (Precision p : PRECISIONS) {
                budgeted[p.ordinal()] = view.budgetedEvalsPerSecond(p);
            }
        }
        double seconds = 0;
        for (ArrayDeque<Work> lane : List.of(interactive, batch)) {
            for (Work w : lane) {
                double evalsPerSecond = view == null ? w.rate.evalsPerSecond() : budgeted[w.precision.ordinal()];
                if (!(evalsPerSecond > 0)) {
                    return Double.POSITIVE_INFINITY;
                }
                seconds += w.evalsLeft / evalsPerSecond;
            }
        }
        return seconds > 0 ? clock + seconds : Double.POSITIVE_INFINITY;
    }

    boolean busy() {
        return !interactive.isEmpty() || !batch.isEmpty();
    }

    private static boolean urgent(Work w) {
        return w.job.urgency() == Urgency.INTERACTIVE;
    }

    private static final class Work {
        final SimJob job;
        final Precision precision;
        final Rate rate;
        final double enqueued;
        double evalsLeft;
        double joules;
        double grams;

        Work(SimJob job, Precision precision, double evals, Rate rate, double enqueued) {
            this.job = job;
            this.precision = precision;
            this.evalsLeft = evals;
            this.rate = rate;
            this.enqueued = enqueued;
        }
    }
}
