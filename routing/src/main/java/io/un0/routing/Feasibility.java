package io.un0.routing;

/**
 * The rules an option (a pool at a precision) must pass to take a job, in the order the carbon-aware policy checks
 * them; the first that fails is the option's recorded {@code rejected_because}. A new rule is a new constant and its case in {@link #passes}.
 * Each is written as the negation of its refusal, so that a NaN figure refuses nothing, as it never did.
 */
enum Feasibility {

    /** Data residency: the pool's region is one the job allows. */
    RESIDENCY("region not allowed"),
    /** The precision is one the job allows (its quality floor in precision). */
    PRECISION("precision not allowed"),
    /** The pool has room for the job's images. */
    ROOM("full"),
    /** The site's power budget leaves the pool some speed at this precision. */
    BUDGET("over budget"),
    /** The work queued ahead plus the job, at the budgeted speed, is done by the deadline. */
    DEADLINE("misses deadline"),
    /**
     * Deferrable work runs now only within what the pool can still do this hour beyond the work queued and planned
     * there (the plan's hour grid); more waits for a later hour's room, unless its deadline is within the margin.
     */
    HOUR_ROOM("this hour's room taken"),
    /**
     * Batch work keeps a pool's queue short for interactive work, and leaves room in it for what the pool runs within
     * the interactive target, unless its deadline is within the deferral margin: then it may no longer wait, and
     * queues as long as its deadline and the pool's room allow.
     */
    BATCH_QUEUE("queue kept short for interactive work"),
    /** Interactive work spreads over pools before it queues past its target time to done. */
    INTERACTIVE_QUEUE("queue over the interactive target");

    private static final Feasibility[] ORDER = values();

    private final String reason;

    Feasibility(String reason) {
        this.reason = reason;
    }

    /** What a decision records for an option that fails this rule. */
    String reason() {
        return reason;
    }

    /** One switch rather than a method per constant: the call stays monomorphic and inlines on the decision's hot path. */
    boolean passes(Candidate c) {
        return switch (this) {
            case RESIDENCY -> c.job().allowsRegion(c.pool().region());
            case PRECISION -> c.job().allowsPrecision(c.precision());
            case ROOM -> c.pool().headroom() >= c.job().images();
            case BUDGET -> !(c.rate() <= 0);
            case DEADLINE -> !(c.seconds() > c.secondsLeft());
            case BATCH_QUEUE -> !(!c.interactive() && c.secondsLeft() > c.deferralMarginSeconds()
                    && (c.seconds() > c.batchQueueSeconds() || c.pool().batchHeadroom(c.precision(), c.interactiveQueueSeconds()) < c.job().images()));
            case HOUR_ROOM -> !(c.plannedByHour() && c.evals() > c.hourRoom() && c.secondsLeft() > c.deferralMarginSeconds());
            case INTERACTIVE_QUEUE -> !(c.interactive() && c.seconds() > c.interactiveQueueSeconds());
        };
    }

    /**
     * The rules before the queue rules: what every policy must honour (residency, precision, room, budget, deadline),
     * as opposed to the carbon-aware policy's own queue limits.
     */
    static final int HARD_RULES = HOUR_ROOM.ordinal();

    /** The rules about the job's own terms (residency, precision) rather than the pool's state. */
    static final int JOB_TERMS = PRECISION.ordinal() + 1;

    /** The first rule {@code c} fails, or null when it passes them all. */
    static Feasibility firstFailed(Candidate c) {
        return firstFailed(c, ORDER.length);
    }

    /** The first of the first {@code rules} rules that {@code c} fails, or null when it passes them. */
    static Feasibility firstFailed(Candidate c, int rules) {
        for (int i = 0; i < rules; i++) {
            if (!ORDER[i].passes(c)) {
                return ORDER[i];
            }
        }
        return null;
    }
}
