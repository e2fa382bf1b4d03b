package io.un0.routing;

import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.Precision;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static io.un0.vocabulary.Precision.FP32;
import static io.un0.vocabulary.Precision.INT8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Each rule on its own, and the order that decides which reason an option that fails several records. */
class FeasibilityTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final CarbonAwarePolicy.Settings SETTINGS = CarbonAwarePolicy.Settings.DEFAULT;

    /** A pool in ES doing 100 evaluations per second at int8 (1 W at full speed, none idle), with 8 images of room. */
    private static PoolView pool(int free, double budgetWatts, double queuedEvals) {
        return new PoolView("edge-es", "site", "ES", DeviceClass.CPU, Map.of(INT8, new Rate(100, 0.01)), 1, 8, 8 - free,
                queuedEvals, queuedEvals, 0, 0, budgetWatts, 0);
    }

    private static Feasibility check(JobView job, PoolView pool, Precision precision) {
        double evals = (double) job.images() * job.minSteps();
        double secondsLeft = job.deadline().equals(Instant.MAX) ? Double.POSITIVE_INFINITY
                : (job.deadline().toEpochMilli() - NOW.toEpochMilli()) / 1e3;
        return Feasibility.firstFailed(new Candidate(job, SETTINGS, evals, secondsLeft, DeferralPlan.NONE, NOW).of(pool, precision));
    }

    private static JobView job(Urgency urgency, Set<Precision> precisions, Set<String> regions, Instant deadline) {
        return new JobView("j", 4, 1, 1, precisions, regions, urgency, deadline);
    }

    @Test
    void aPoolThatMeetsEveryRuleIsFeasible() {
        assertNull(check(job(Urgency.INTERACTIVE, Set.of(), Set.of(), NOW.plusSeconds(60)), pool(8, Double.POSITIVE_INFINITY, 200), INT8));
    }

    @Test
    void eachRuleRefusesWithItsOwnReason() {
        PoolView free = pool(8, Double.POSITIVE_INFINITY, 200);
        Instant minute = NOW.plusSeconds(60);
        assertEquals("region not allowed", check(job(Urgency.BATCH, Set.of(), Set.of("NO"), minute), free, INT8).reason());
        assertEquals("precision not allowed", check(job(Urgency.BATCH, Set.of(FP32), Set.of(), minute), free, INT8).reason());
        assertEquals("full", check(job(Urgency.BATCH, Set.of(), Set.of(), minute), pool(3, Double.POSITIVE_INFINITY, 200), INT8).reason());
        assertEquals("over budget", check(job(Urgency.BATCH, Set.of(), Set.of(), minute), pool(8, 0, 200), INT8).reason());
        // 204 evaluations at 100 per second: 2.04 s.
        assertEquals("misses deadline", check(job(Urgency.BATCH, Set.of(), Set.of(), NOW.plusSeconds(2)), free, INT8).reason());
    }

    @Test
    void queuesAreKeptShortPerUrgency() {
        // A quarter of full speed under its budget, 25 evaluations per second: 600 queued plus 4 take 24 s.
        PoolView slow = pool(8, 0.25, 600);
        Instant day = NOW.plusSeconds(86_400);
        assertEquals(Feasibility.INTERACTIVE_QUEUE, check(job(Urgency.INTERACTIVE, Set.of(), Set.of(), day), slow, INT8));
        assertEquals(Feasibility.BATCH_QUEUE, check(job(Urgency.BATCH, Set.of(), Set.of(), day), slow, INT8));
        // Within the deferral margin of its deadline, batch work may queue as long as its deadline allows.
        assertNull(check(job(Urgency.BATCH, Set.of(), Set.of(), NOW.plus(SETTINGS.deferralMargin())), slow, INT8));
    }

    @Test
    void theFirstRuleFailedIsTheOneRecorded() {
        // Wrong region, wrong precision, full and over budget at once: residency is checked first.
        JobView job = job(Urgency.BATCH, Set.of(FP32), Set.of("NO"), NOW.plusSeconds(60));
        assertEquals(Feasibility.RESIDENCY, check(job, pool(0, 0, 200), INT8));
    }

    @Test
    void aPoolIsRefusedForTheHardRuleItComesClosestToPassingAndNeverForAQueueLimit() {
        Instant minute = NOW.plusSeconds(60);
        PoolView twoPrecisions = new PoolView("edge-es", "site", "ES", DeviceClass.CPU,
                Map.of(INT8, new Rate(100, 0.01), FP32, new Rate(50, 0.02)), 1, 8, 0, 200, 200, 0, 0, Double.POSITIVE_INFINITY, 0);
        // int8 not allowed, fp32 allowed and there is room and speed: only the deadline keeps fp32 out (204 / 50 s > 2 s).
        assertEquals("misses deadline", PoolRefusals.firstFailed(job(Urgency.BATCH, Set.of(FP32), Set.of(), NOW.plusSeconds(2)), twoPrecisions, NOW).orElseThrow());
        assertEquals("region not allowed", PoolRefusals.firstFailed(job(Urgency.BATCH, Set.of(), Set.of("NO"), minute), twoPrecisions, NOW).orElseThrow());
        assertEquals("over budget", PoolRefusals.firstFailed(job(Urgency.BATCH, Set.of(), Set.of(), minute), pool(8, 0, 200), NOW).orElseThrow());
        // Over the batch queue limit only: the policy's own limit, not a hard rule.
        assertEquals(Optional.empty(), PoolRefusals.firstFailed(job(Urgency.BATCH, Set.of(), Set.of(), NOW.plusSeconds(86_400)), pool(8, 0.25, 600), NOW));
    }

    @Test
    void onlyTheJobsOwnTermsRuleAPoolOutForGood() {
        Instant minute = NOW.plusSeconds(60);
        assertTrue(PoolRefusals.ruledOutByTheJob(job(Urgency.BATCH, Set.of(), Set.of("NO"), minute), pool(8, Double.POSITIVE_INFINITY, 0), NOW));
        assertTrue(PoolRefusals.ruledOutByTheJob(job(Urgency.BATCH, Set.of(FP32), Set.of(), minute), pool(8, Double.POSITIVE_INFINITY, 0), NOW));
        // Full, over budget or slow: the pool's state, which changes; a retry may succeed.
        assertFalse(PoolRefusals.ruledOutByTheJob(job(Urgency.BATCH, Set.of(), Set.of("ES"), minute), pool(0, 0, 1_000_000), NOW));
    }
}
