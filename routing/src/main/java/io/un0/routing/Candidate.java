package io.un0.routing;

/**
 * One option for one job, as the {@link Feasibility} rules read it. Speed and time to done are worked out only when
 * a rule first asks (the cheap rules come first), and an option rejected before that records no time.
 * One instance is reused across a decision's options, so that a decision allocates nothing per option.
 */
final class Candidate {

    private final JobView job;
    private final CarbonAwarePolicy.Settings settings;
    private final double evals;
    private final double secondsLeft;
    private PoolView pool;
    private String precision;
    private double rate;
    private double seconds;

    Candidate(JobView job, CarbonAwarePolicy.Settings settings, double evals, double secondsLeft) {
        this.job = job;
        this.settings = settings;
        this.evals = evals;
        this.secondsLeft = secondsLeft;
    }

    /** Points this candidate at another option. */
    Candidate of(PoolView pool, String precision) {
        this.pool = pool;
        this.precision = precision;
        this.rate = Double.NaN;
        this.seconds = Double.NaN;
        return this;
    }

    JobView job() {
        return job;
    }

    CarbonAwarePolicy.Settings settings() {
        return settings;
    }

    PoolView pool() {
        return pool;
    }

    String precision() {
        return precision;
    }

    /** Seconds to the job's deadline; infinite without one. */
    double secondsLeft() {
        return secondsLeft;
    }

    /** The pool's evaluations per second at this precision within its power budget. */
    double rate() {
        if (Double.isNaN(rate)) {
            rate = pool.budgetedEvalsPerSecond(precision);
        }
        return rate;
    }

    /** From now until the job is done there: the work queued ahead of it (interactive work queues only behind its kind) plus its own. */
    double seconds() {
        if (Double.isNaN(seconds)) {
            seconds = ((job.urgency() == Urgency.INTERACTIVE ? pool.urgentEvals() : pool.queuedEvals()) + evals) / rate();
        }
        return seconds;
    }

    /** The time to done if a rule asked for it, else NaN: what the decision records. */
    double secondsIfKnown() {
        return seconds;
    }
}
