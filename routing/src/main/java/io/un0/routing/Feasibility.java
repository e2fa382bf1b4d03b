package io.un0.routing;

/**
 * The rules an option (a pool at a precision) must pass to take a job, in the order the carbon-aware policy checks
 * them; the first that fails is the option's recorded {@code rejected_because}. A new rule is a new constant here.
 * Each is written as the negation of its refusal, so that a NaN figure refuses nothing, as it never did.
 */
enum Feasibility {

    /** Data residency: the pool's region is one the job allows. */
    RESIDENCY("region not allowed") {
        @Override
        boolean passes(Candidate c) {
            return c.job().allowsRegion(c.pool().region());
        }
    },
    /** The precision is one the job allows (its quality floor in precision). */
    PRECISION("precision not allowed") {
        @Override
        boolean passes(Candidate c) {
            return c.job().allowsPrecision(c.precision());
        }
    },
    /** The pool has room for the job's images. */
    ROOM("full") {
        @Override
        boolean passes(Candidate c) {
            return c.pool().headroom() >= c.job().images();
        }
    },
    /** The site's power budget leaves the pool some speed at this precision. */
    BUDGET("over budget") {
        @Override
        boolean passes(Candidate c) {
            return !(c.rate() <= 0);
        }
    },
    /** The work queued ahead plus the job, at the budgeted speed, is done by the deadline. */
    DEADLINE("misses deadline") {
        @Override
        boolean passes(Candidate c) {
            return !(c.seconds() > c.secondsLeft());
        }
    },
    /**
     * Batch work keeps a pool's queue short for interactive work, unless its deadline is within the deferral margin:
     * then it may no longer wait, and queues as long as its deadline allows.
     */
    BATCH_QUEUE("queue kept short for interactive work") {
        @Override
        boolean passes(Candidate c) {
            return !(c.job().urgency() != Urgency.INTERACTIVE && c.seconds() > c.settings().batchQueueSeconds()
                    && c.secondsLeft() > c.settings().deferralMargin().toSeconds());
        }
    },
    /** Interactive work spreads over pools before it queues past its target time to done. */
    INTERACTIVE_QUEUE("queue over the interactive target") {
        @Override
        boolean passes(Candidate c) {
            return !(c.job().urgency() == Urgency.INTERACTIVE && c.seconds() > c.settings().interactiveQueueSeconds());
        }
    };

    private static final Feasibility[] ORDER = values();

    private final String reason;

    Feasibility(String reason) {
        this.reason = reason;
    }

    /** What a decision records for an option that fails this rule. */
    String reason() {
        return reason;
    }

    abstract boolean passes(Candidate c);

    /** The first rule {@code c} fails, or null when it passes them all. */
    static Feasibility firstFailed(Candidate c) {
        for (Feasibility f : ORDER) {
            if (!f.passes(c)) {
                return f;
            }
        }
        return null;
    }
}
