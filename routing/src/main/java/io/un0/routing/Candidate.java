package io.un0.routing;

import io.un0.vocabulary.Precision;
import java.time.Instant;

/**
 * One option for one job, as the {@link Feasibility} rules read it. Speed and time to done are worked out only when
 * a rule first asks (the cheap rules come first), and an option rejected before that records no time.
 * One instance is reused across a decision's options, so that a decision allocates nothing per option.
 */
final class Candidate {

    private final JobView job;
    private final boolean interactive;
    private final double evals;
    private final double secondsLeft;
    /** The settings the queue rules read, in the units they compare in, worked out once per decision. */
    private final double batchQueueSeconds;
    private final double interactiveQueueSeconds;
    private final double deferralMarginSeconds;
    private final DeferralPlan plan;
    /** Of the hour in force, the share still ahead. */
    private final double hourLeft;
    private PoolView pool;
    private Precision precision;
    private double rate;
    private double seconds;

    /** @param plan the deferred work planned per pool and hour; {@link DeferralPlan#NONE} where the rules asked need none */
    Candidate(JobView job, CarbonAwarePolicy.Settings settings, double evals, double secondsLeft, DeferralPlan plan, Instant at) {
        this.plan = plan;
        long intoHour = at.getEpochSecond() - plan.firstHour().getEpochSecond();
        this.hourLeft = Math.max(0, 1 - Math.max(0, intoHour) / 3600.0);
        this.job = job;
        this.interactive = job.urgency() == Urgency.INTERACTIVE;
        this.evals = evals;
        this.secondsLeft = secondsLeft;
        this.batchQueueSeconds = settings.batchQueueSeconds();
        this.interactiveQueueSeconds = settings.interactiveQueueSeconds();
        this.deferralMarginSeconds = settings.deferralMargin().toSeconds();
    }

    /** Points this candidate at another option. */
    Candidate of(PoolView pool, Precision precision) {
        this.pool = pool;
        this.precision = precision;
        this.rate = Double.NaN;
        this.seconds = Double.NaN;
        return this;
    }

    JobView job() {
        return job;
    }

    boolean interactive() {
        return interactive;
    }

    double batchQueueSeconds() {
        return batchQueueSeconds;
    }

    double interactiveQueueSeconds() {
        return interactiveQueueSeconds;
    }

    double deferralMarginSeconds() {
        return deferralMarginSeconds;
    }

    PoolView pool() {
        return pool;
    }

    Precision precision() {
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
            seconds = ((interactive ? pool.urgentEvals() : pool.queuedEvals()) + evals) / rate();
        }
        return seconds;
    }

    /** Whether the job is deferrable and the plan knows the pool: then the hour's room bounds what may run now. */
    boolean plannedByHour() {
        return job.urgency() == Urgency.DEFERRABLE && plan.knows(pool.pool());
    }

    /**
     * Evaluations the pool can still take this hour for deferrable work: its usable share of what remains of the hour,
     * less the deferred work planned into the hour and the work queued now.
     */
    double hourRoom() {
        return plan.usable(pool.pool(), 0) * hourLeft - plan.planned(pool.pool(), 0) - pool.queuedEvals();
    }

    double evals() {
        return evals;
    }

    /** The time to done if a rule asked for it, else NaN: what the decision records. */
    double secondsIfKnown() {
        return seconds;
    }
}
