package io.un0.scheduler.mapping;

import io.un0.proto.ProtoTime;
import io.un0.proto.fixtures.ContractFixtures;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.Priority;
import io.un0.proto.v1.Quality;
import io.un0.proto.v1.QualityTier;
import io.un0.routing.JobView;
import io.un0.routing.Urgency;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static io.un0.vocabulary.Precision.INT8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JobViewsTest {

    private static Job.Builder job() {
        return Job.newBuilder().setJobId("j1").setCount(3);
    }

    private static int steps(Quality.Builder quality) throws InvalidEnvelopeException {
        return QualitySteps.of(quality.build());
    }

    private static String reason(Job.Builder job) {
        return assertThrows(InvalidEnvelopeException.class, () -> JobViews.of(job.build())).getMessage();
    }

    @Test
    void tiersMapToStepCounts() throws Exception {
        assertEquals(1, steps(Quality.newBuilder().setTier(QualityTier.QUALITY_TIER_DRAFT)));
        assertEquals(2, steps(Quality.newBuilder().setTier(QualityTier.QUALITY_TIER_STANDARD)));
        assertEquals(8, steps(Quality.newBuilder().setTier(QualityTier.QUALITY_TIER_BEST)));
        assertEquals(1, steps(Quality.newBuilder().setTier(QualityTier.QUALITY_TIER_UNSPECIFIED)));
        assertEquals(1, steps(Quality.newBuilder()), "no tier and no steps: the cheapest");
    }

    @Test
    void explicitStepsWinAndTheFloorLiftsOnlyTiers() throws Exception {
        assertEquals(16, steps(Quality.newBuilder().setSteps(16)));
        assertEquals(4, steps(Quality.newBuilder().setTier(QualityTier.QUALITY_TIER_DRAFT).setMinSteps(4)));
        assertEquals(8, steps(Quality.newBuilder().setTier(QualityTier.QUALITY_TIER_BEST).setMinSteps(4)));
        assertEquals("quality.min_steps: 4 is above quality.steps 2",
                assertThrows(InvalidEnvelopeException.class, () -> steps(Quality.newBuilder().setSteps(2).setMinSteps(4))).getMessage());
        assertEquals("quality.steps", assertThrows(InvalidEnvelopeException.class, () -> steps(Quality.newBuilder().setSteps(0))).field());
        assertEquals("quality.tier: unknown tier 9", assertThrows(InvalidEnvelopeException.class,
                () -> steps(Quality.newBuilder().setTierValue(9))).getMessage());
    }

    @Test
    void aJobBecomesWhatThePolicyReads() throws Exception {
        Instant deadline = Instant.parse("2026-11-26T18:00:00Z");
        JobView view = JobViews.of(job().addAllowedRegions("ES").addAllowedRegions("NO").setReplyTo("gateway-1")
                .setQuality(Quality.newBuilder().setTier(QualityTier.QUALITY_TIER_STANDARD).addAllowedPrecisions(Precision.PRECISION_INT8))
                .setDeadline(ProtoTime.timestamp(deadline)).build());
        assertEquals(new JobView("j1", 3, 2, 2, Set.of(INT8), Set.of("ES", "NO"), Urgency.INTERACTIVE, deadline), view);
        assertEquals(new JobView("j1", 3, 1, 1, Set.of(), Set.of(), Urgency.BATCH, Instant.MAX), JobViews.of(job().build()),
                "empty lists allow anything; no deadline is none; no one waits, so it may be held");
    }

    @Test
    void theFloorIsWhatAPolicyMayTradeDownTo() throws Exception {
        JobView best = JobViews.of(job().setQuality(Quality.newBuilder().setTier(QualityTier.QUALITY_TIER_BEST).setMinSteps(2)).build());
        assertEquals(8, best.steps());
        assertEquals(2, best.minSteps());
        JobView exact = JobViews.of(job().setQuality(Quality.newBuilder().setSteps(4)).build());
        assertEquals(4, exact.minSteps(), "0: no trading, the steps asked for");
        JobView lifted = JobViews.of(job().setQuality(Quality.newBuilder().setTier(QualityTier.QUALITY_TIER_DRAFT).setMinSteps(4)).build());
        assertEquals(4, lifted.steps());
        assertEquals(4, lifted.minSteps());
        assertEquals("quality.min_steps: 8 is above quality.steps 4",
                reason(job().setQuality(Quality.newBuilder().setSteps(4).setMinSteps(8))));
    }

    @Test
    void urgencyIsAsTheJobSaysElseByWhetherACallerWaits() throws Exception {
        assertEquals(Urgency.DEFERRABLE, JobViews.of(job().setPriority(Priority.PRIORITY_DEFERRABLE).build()).urgency());
        assertEquals(Urgency.BATCH, JobViews.of(job().setPriority(Priority.PRIORITY_BATCH).setReplyTo("gateway-1").build()).urgency());
        assertEquals(Urgency.INTERACTIVE, JobViews.of(job().setPriority(Priority.PRIORITY_INTERACTIVE).build()).urgency());
        assertEquals(Urgency.INTERACTIVE, JobViews.of(job().setReplyTo("gateway-1").build()).urgency());
        assertEquals(Urgency.BATCH, JobViews.of(job().setReplyTo("gateway-1").setBatchId("b").build()).urgency(), "a batch item");
        assertEquals("priority: unknown priority 9", reason(job().setPriorityValue(9)));
    }

    @Test
    void badJobsNameTheField() {
        assertEquals("job_id: missing", reason(job().setJobId(" ")));
        assertEquals("count: 0 is outside 1..2147483647", reason(job().setCount(0)));
        assertEquals("count: 4294967295 is outside 1..2147483647", reason(job().setCount(-1)), "uint32 read as unsigned");
        assertEquals("quality.allowed_precisions: PRECISION_UNSPECIFIED is not a precision",
                reason(job().setQuality(Quality.newBuilder().addAllowedPrecisions(Precision.PRECISION_UNSPECIFIED))));
        assertEquals("allowed_regions", assertThrows(InvalidEnvelopeException.class,
                () -> JobViews.of(job().addAllowedRegions("").build())).field());
    }

    @Test
    void theGoldenJobReadsAsTheViewItDescribes() throws Exception {
        JobView view = JobViews.of(Job.parseFrom(ContractFixtures.bytes("job.binpb")));
        assertEquals("job-7f3a", view.jobId());
        assertEquals(4, view.images());
        assertEquals(2, view.steps());
        assertEquals(1, view.minSteps());
        assertEquals(Set.of(INT8), view.allowedPrecisions());
        assertEquals(Set.of("ES", "NO"), view.allowedRegions());
        assertEquals(Urgency.BATCH, view.urgency());
        assertEquals(ContractFixtures.DEADLINE, view.deadline());
    }
}
