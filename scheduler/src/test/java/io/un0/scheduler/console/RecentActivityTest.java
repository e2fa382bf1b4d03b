package io.un0.scheduler.console;

import io.un0.proto.ProtoTime;
import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.Alternative;
import io.un0.proto.v1.Boundary;
import io.un0.proto.v1.Carbon;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.DecisionKind;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RecentActivityTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:30Z");

    private static Decision decision(String job, DecisionKind kind, String pool, Instant at) {
        return Decision.newBuilder().setJobId(job).setKind(kind).setChosen(Alternative.newBuilder().setPool(pool))
                .setDecided(ProtoTime.timestamp(at)).setReason("why " + job).build();
    }

    private static JobResult result(String tenant, int images, double joules, double grams, Double boundaryJoules) {
        Accounting.Builder a = Accounting.newBuilder().setEnergy(Energy.newBuilder().setJoules(joules))
                .setCarbon(Carbon.newBuilder().setGramsCo2E(grams));
        if (boundaryJoules != null) {
            a.setBoundary(Boundary.newBuilder().setEnergy(Energy.newBuilder().setJoules(boundaryJoules)).setGramsCo2E(grams * 2));
        }
        JobResult.Builder r = JobResult.newBuilder().setTenant(tenant).setStatus(JobStatus.JOB_STATUS_SUCCEEDED).setAccounting(a);
        // As the accounting topic carries it: a seed per image, the PNGs left out.
        for (int i = 0; i < images; i++) {
            r.addSeeds(i);
        }
        return r.build();
    }

    @Test
    void decisionsOfTheWindowByPoolAndKindAndDeferredWorkStillWaiting() {
        RecentActivity activity = new RecentActivity(Duration.ofHours(1));
        activity.decision(decision("old", DecisionKind.DECISION_KIND_ASSIGN, "gpu", NOW.minus(Duration.ofMinutes(61))));
        activity.decision(decision("a", DecisionKind.DECISION_KIND_ASSIGN, "edge", NOW.minusSeconds(50)));
        activity.decision(decision("b", DecisionKind.DECISION_KIND_ASSIGN, "edge", NOW.minusSeconds(40)));
        activity.decision(decision("c", DecisionKind.DECISION_KIND_DEFER, "", NOW.minusSeconds(30)));
        activity.decision(decision("d", DecisionKind.DECISION_KIND_DEFER, "", NOW.minusSeconds(20)));
        activity.decision(decision("d", DecisionKind.DECISION_KIND_ASSIGN, "gpu", NOW.minusSeconds(10)));
        activity.decision(decision("e", DecisionKind.DECISION_KIND_SHED, "", NOW.minusSeconds(5)));

        RecentActivity.Decisions d = activity.view(NOW).decisions();
        assertEquals(Map.of("edge", 2L, "gpu", 1L), d.assignedByPool(), "the hour-old one has left the window");
        assertEquals(Map.of("assign", 3L, "defer", 2L, "shed", 1L), d.byKind());
        assertEquals(List.of("c"), d.deferredWaiting().stream().map(RecentActivity.DecisionRow::jobId).toList(), "d was assigned since");
        assertEquals("e", d.latest().get(0).jobId(), "latest first");
    }

    @Test
    void recordsOlderThanTheWindowAreForgottenAsNewOnesArriveNotOnlyWhenSomeoneLooks() {
        RecentActivity activity = new RecentActivity(Duration.ofHours(1));
        Instant earlier = NOW.minus(Duration.ofHours(2));
        activity.decision(decision("early", DecisionKind.DECISION_KIND_ASSIGN, "edge", earlier));
        activity.result(result("tenant-a", 1, 1.0, 0.1, null), earlier);
        activity.decision(decision("late", DecisionKind.DECISION_KIND_ASSIGN, "edge", NOW));
        activity.result(result("tenant-b", 1, 1.0, 0.1, null), NOW);

        // Looked at as of the earlier time, the early records would still be in its window: they went when the late ones came.
        RecentActivity.View asOfEarlier = activity.view(earlier);
        assertEquals(List.of("late"), asOfEarlier.decisions().latest().stream().map(RecentActivity.DecisionRow::jobId).toList());
        assertEquals(List.of("tenant-b"), List.copyOf(asOfEarlier.tenants().keySet()));
    }

    @Test
    void perImageFiguresPerTenantAndMinute() {
        RecentActivity activity = new RecentActivity(Duration.ofHours(1));
        activity.result(result("tenant-a", 4, 8.0, 0.4, null), NOW.minusSeconds(20));
        activity.result(result("tenant-a", 4, 4.0, 0.2, 20.0), NOW.minusSeconds(10));
        activity.result(result("tenant-b", 2, 1.0, 0.1, null), NOW.minusSeconds(10));
        activity.result(JobResult.newBuilder().setTenant("tenant-b").setStatus(JobStatus.JOB_STATUS_FAILED).build(), NOW);

        Map<String, List<RecentActivity.Minute>> tenants = activity.view(NOW).tenants();
        RecentActivity.Minute a = tenants.get("tenant-a").get(0);
        assertEquals(8, a.images());
        assertEquals(1.5, a.joulesPerImage(), 1e-12);
        assertEquals(0.075, a.gramsPerImage(), 1e-12);
        assertEquals(5.0, a.boundaryJoulesPerImage(), 1e-12, "over the results that carried the boundary only");
        RecentActivity.Minute b = tenants.get("tenant-b").get(0);
        assertEquals(2, b.images(), "a failed result has no images to count");
        assertNull(b.boundaryJoulesPerImage());
    }
}
