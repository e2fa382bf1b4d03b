package io.un0.routing;

import io.un0.vocabulary.Precision;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Why a pool cannot take a job under the rules every policy honours ({@link Feasibility}'s residency, precision,
 * room, budget and deadline), for the people whose job was shed: a policy answers only with a route or none.
 */
public final class PoolRefusals {

    private PoolRefusals() {
    }

    /**
     * The reason of the furthest rule that {@code pool} fails at the precision that comes closest (the job at its
     * fewest steps); empty when some precision passes them all, so that only a policy's own limits refused it.
     */
    public static Optional<String> firstFailed(JobView job, PoolView pool, Instant now) {
        if (pool.precisions().isEmpty()) {
            return Optional.of("no precision all its workers serve");
        }
        return closest(job, pool, now, Feasibility.HARD_RULES).map(Feasibility::reason);
    }

    /**
     * Whether the job's own terms (its allowed regions and precisions) rule the pool out, whatever its state: then
     * waiting or retrying cannot help while the fleet stays as it is.
     */
    public static boolean ruledOutByTheJob(JobView job, PoolView pool, Instant now) {
        return pool.precisions().isEmpty() || closest(job, pool, now, Feasibility.JOB_TERMS).isPresent();
    }

    /** The furthest of the first {@code rules} rules failed at the precision that comes closest; the pool serves at least one. */
    private static Optional<Feasibility> closest(JobView job, PoolView pool, Instant now, int rules) {
        double secondsLeft = job.deadline().equals(Instant.MAX) ? Double.POSITIVE_INFINITY : Duration.between(now, job.deadline()).toNanos() / 1e9;
        Candidate candidate = new Candidate(job, CarbonAwarePolicy.Settings.DEFAULT, (double) job.images() * job.minSteps(), secondsLeft,
                DeferralPlan.NONE, now);
        Feasibility closest = null;
        for (Precision precision : pool.precisions()) {
            Feasibility failed = Feasibility.firstFailed(candidate.of(pool, precision), rules);
            if (failed == null) {
                return Optional.empty();
            }
            if (closest == null || failed.ordinal() > closest.ordinal()) {
                closest = failed;
            }
        }
        return Optional.of(closest);
    }
}
