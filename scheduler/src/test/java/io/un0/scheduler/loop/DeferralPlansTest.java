package io.un0.scheduler.loop;

import io.opentelemetry.context.Context;
import io.un0.proto.mesh.v1.Job;
import io.un0.routing.CapacityHistory;
import io.un0.routing.DeferralPlan;
import io.un0.routing.FleetView;
import io.un0.routing.InteractiveHistory;
import io.un0.routing.JobView;
import io.un0.routing.PoolView;
import io.un0.routing.Rate;
import io.un0.routing.Urgency;
import io.un0.vocabulary.DeviceClass;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static io.un0.vocabulary.Precision.INT8;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DeferralPlansTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:20:00Z");

    private static PoolView pool(String name, double budgetWatts) {
        return new PoolView(name, "site", "ES", DeviceClass.GPU, Map.of(INT8, new Rate(10, 1)), 1, 100, 0, 0, 0, 2, 2, budgetWatts, 0);
    }

    private static PendingJob heldFor(String pool, Instant until, int images) {
        Job job = Job.newBuilder().setJobId("j-" + pool + until).setCount(images).build();
        JobView view = new JobView(job.getJobId(), images, 1, 1, Set.of(), Set.of(), Urgency.DEFERRABLE, NOW.plusSeconds(86_400));
        return PendingJob.read(new TopicPartition("un0.jobs.v1", 0), job, view, Context.root(), NOW, NOW.plusSeconds(86_400))
                .deferredUntil(until, pool, images);
    }

    @Test
    void eachPoolsBudgetedSpeedLessItsInteractiveLoadLessWhatIsHeldForItHourByHour() {
        // 10 evals/s flat out at 10 W, 2 W idle: a 6 W budget allows half speed.
        FleetView view = new FleetView(NOW, List.of(pool("a", Double.POSITIVE_INFINITY), pool("b", 6)));
        CapacityHistory capacity = new CapacityHistory();
        view.pools().forEach(p -> capacity.record(p.pool(), NOW, p.fastestBudgetedEvalsPerSecond()));
        DeferralPlan plan = DeferralPlans.of(view, List.of(heldFor("a", NOW.plusSeconds(2 * 3600), 1000),
                heldFor("a", NOW.plusSeconds(30 * 3600), 5), heldFor("gone", NOW.plusSeconds(3600), 5)), 4, new InteractiveHistory(NOW), capacity, 2_500);
        assertEquals(Instant.parse("2026-11-26T10:00:00Z"), plan.firstHour());
        assertEquals(18_000, plan.usableEvals().get("a")[0]);
        assertEquals(9_000, plan.usableEvals().get("b")[3]);
        assertEquals(17_000, plan.freeEvals().get("a")[2], "10:20 + 2 h falls in the hour from 12:00");
        assertEquals(18_000, plan.freeEvals().get("a")[1]);
        assertEquals(18_000, plan.freeEvals().get("a")[3], "a deferral past the plan's hours is not counted");
        assertEquals(2_500, plan.expectedEvalsPerHour(), "the arrival rate observed prices the plan's hours");

        // A day on, an hour keeps free what the pool took at that hour the day before.
        InteractiveHistory seen = new InteractiveHistory(NOW);
        seen.record("a", NOW.plusSeconds(3600), 6_000);
        Instant dayLater = NOW.plusSeconds(86_400);
        DeferralPlan later = DeferralPlans.of(new FleetView(dayLater, view.pools()), List.of(), 3, seen, capacity, 0);
        assertEquals(36_000, later.usableEvals().get("a")[0], "nothing was taken from 10:00 the day before");
        assertEquals(30_000, later.usableEvals().get("a")[1], "6,000 were taken from 11:00 the day before");
    }
}
