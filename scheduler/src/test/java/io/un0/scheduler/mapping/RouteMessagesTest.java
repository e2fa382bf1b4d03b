package io.un0.scheduler.mapping;

import static io.un0.vocabulary.Precision.FP32;
import static io.un0.vocabulary.Precision.INT8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.un0.energy.BoundaryShare;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.fixtures.ContractFixtures;
import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.mesh.v1.Deferral;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.DecisionKind;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.Priority;
import io.un0.routing.GridSignal;
import io.un0.routing.Option;
import io.un0.routing.Route;
import io.un0.routing.Urgency;
import io.un0.vocabulary.GridIntensity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteMessagesTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Instant LATER = Instant.parse("2026-11-30T15:00:00Z");
    private final RouteMessages messages = new RouteMessages("carbon-aware", "scheduler-1");
    private final Job job = Job.newBuilder().setJobId("j1").setCount(4).build();
    private final Option chosen = new Option("edge-no", INT8, 2, 0.5, 1.25, "");
    private final Option weighed = new Option("gpu-es", FP32, 2, 2.5, 0.5, "");
    private final Option rejected = new Option("edge-ca", INT8, 2, 4.0, Double.NaN, "full");
    private final Route route = new Route("edge-no", INT8, 2, "least gCO2e", NOW, chosen, List.of(weighed, rejected));

    @Test
    void anAssignmentCarriesTheRouteAndTheSignalItWasPricedBy() {
        GridSignal grid = new GridSignal("NO", new GridIntensity(31.5, "electricitymaps", true), List.of());
        Assignment a = messages.assignment("d1", job, Urgency.BATCH, route, Optional.of(grid), Optional.empty(), NOW, Duration.ofMillis(40));
        assertEquals(job.toBuilder().setPriority(Priority.PRIORITY_BATCH).build(), a.getJob(), "the job, its priority as the scheduler read it");
        assertEquals("edge-no", a.getPool());
        assertEquals(Precision.PRECISION_INT8, a.getPrecision());
        assertEquals(2, a.getSteps());
        assertEquals("d1", a.getDecisionId());
        assertEquals(NOW, ProtoTime.instant(a.getDecided()), "when it was decided, and how long the job had been taken up by then");
        assertEquals(Duration.ofMillis(40), ProtoTime.duration(a.getHeld()));
        assertEquals("NO", a.getGrid().getRegion());
        assertEquals(31.5, a.getGrid().getIntensityGPerKwh());
        assertEquals("electricitymaps", a.getGrid().getSignalSource());
        assertTrue(a.getGrid().getSignalStale());
        assertFalse(messages.assignment("d1", job, Urgency.BATCH, route, Optional.empty(), Optional.empty(), NOW, Duration.ZERO).hasGrid(), "no signal, no grid figure");
    }

    @Test
    void anAssignmentSpellsOutTheUrgencyTheSchedulerReadSoThatItTravelsTheRightLane() throws Exception {
        Job waitedOn = job.toBuilder().setReplyTo("gateway-1").build();
        Assignment a = messages.assignment("d1", waitedOn, JobViews.of(waitedOn).urgency(), route, Optional.empty(), Optional.empty(), NOW, Duration.ZERO);
        assertEquals(Priority.PRIORITY_INTERACTIVE, a.getJob().getPriority(), "unspecified, a caller waiting, no batch: interactive");
        assertEquals(MeshTopic.interactiveAssignments("edge-no"), MeshTopic.assignments(a.getPool(), a.getJob().getPriority()));
        for (Urgency u : Urgency.values()) {
            assertEquals(u, JobViews.of(job.toBuilder().setPriority(JobViews.priority(u)).build()).urgency(), "priority and urgency map both ways");
        }
    }

    @Test
    void anAssignmentCarriesTheMeshsOwnEnergyPerImageWhereThereIsAMeasure() {
        BoundaryShare share = new BoundaryShare(200, 40, 70, 100, 0.003, Duration.ofSeconds(60), EnergySource.ENERGY_SOURCE_MODELLED,
                "gateway: modelled", List.of("gateway/gw (modelled)", "worker/w (modelled)"));
        Assignment a = messages.assignment("d1", job, Urgency.BATCH, route, Optional.empty(), Optional.of(share), NOW, Duration.ZERO);
        assertEquals(0.3, a.getShared().getJoulesPerImage(), 1e-12, "(100 J drawn - 40 J in the engine runs) / 200 images");
        assertEquals(0.003 / 200, a.getShared().getGramsPerImage(), 1e-15);
        assertEquals(List.of("gateway/gw (modelled)", "worker/w (modelled)"), a.getShared().getProcessesList());
        assertEquals(Duration.ofSeconds(60), ProtoTime.duration(a.getShared().getWindow()));
        assertFalse(messages.assignment("d1", job, Urgency.BATCH, route, Optional.empty(), Optional.empty(), NOW, Duration.ZERO).hasShared(),
                "no measure yet, no share");
    }

    @Test
    void anAssignDecisionRecordsTheChosenAndTheWeighedOptions() {
        Option blind = new Option("gpu-es", INT8, 4, 0.9, Double.NaN, "");
        Decision d = messages.assigned("d1", job, Urgency.BATCH, NOW, route, Optional.of(blind));
        assertEquals(DecisionKind.DECISION_KIND_ASSIGN, d.getKind());
        assertEquals("j1", d.getJobId());
        assertEquals("carbon-aware", d.getPolicy());
        assertEquals("scheduler-1", d.getScheduler());
        assertEquals(job.getCount(), d.getImages(), "what another scheduler counts against the pool");
        assertEquals(Priority.PRIORITY_BATCH, d.getPriority());
        assertEquals(ProtoTime.timestamp(NOW), d.getDecided());
        assertEquals("least gCO2e", d.getReason());
        assertEquals("edge-no", d.getChosen().getPool());
        assertEquals(0.5, d.getChosen().getExpectedGramsCo2E());
        assertEquals(1.25, d.getChosen().getExpectedSeconds());
        assertEquals(List.of("gpu-es", "edge-ca"), d.getAlternativesList().stream().map(a -> a.getPool()).toList());
        assertEquals(Precision.PRECISION_FP32, d.getAlternatives(0).getPrecision());
        assertEquals("", d.getAlternatives(0).getRejectedBecause());
        assertEquals("full", d.getAlternatives(1).getRejectedBecause());
        assertFalse(d.hasHoldUntil());
        assertEquals("gpu-es", d.getCarbonBlind().getPool(), "what carbon-blind routing would have done, beside it");
        assertEquals(0.9, d.getCarbonBlind().getExpectedGramsCo2E());
        assertFalse(messages.assigned("d1", job, Urgency.BATCH, NOW, route, Optional.empty()).hasCarbonBlind());
    }

    @Test
    void aDeferralHoldsTheJobUntilTheRoutesStart() {
        Route later = new Route("edge-no", INT8, 2, "deferred", LATER, chosen, List.of());
        Deferral deferral = messages.deferral("d2", job, later);
        assertEquals(job, deferral.getJob());
        assertEquals(ProtoTime.timestamp(LATER), deferral.getHoldUntil());
        assertEquals("edge-no", deferral.getPool());
        assertEquals(2, deferral.getSteps());
        assertEquals("d2", deferral.getDecisionId());
        Decision d = messages.deferred("d2", job, NOW, later, Optional.empty());
        assertEquals(DecisionKind.DECISION_KIND_DEFER, d.getKind());
        assertEquals(ProtoTime.timestamp(LATER), d.getHoldUntil());
        assertEquals("edge-no", d.getChosen().getPool());
    }

    @Test
    void aJobWaitingForRoomIsHeldWithoutADecisionOrAPlan() {
        Deferral waiting = messages.waiting(job, NOW);
        assertEquals(job, waiting.getJob());
        assertEquals(ProtoTime.timestamp(NOW), waiting.getHoldUntil());
        assertEquals("", waiting.getDecisionId());
        assertEquals("", waiting.getPool());
        assertEquals(0, waiting.getSteps());
    }

    @Test
    void aShedDecisionSaysWhyAndChoosesNothing() {
        Decision d = messages.shed("d3", job, NOW, "no live pool with room");
        assertEquals(DecisionKind.DECISION_KIND_SHED, d.getKind());
        assertEquals("no live pool with room", d.getReason());
        assertFalse(d.hasChosen());
        assertEquals(0, d.getAlternativesCount());
    }

    @Test
    void theGoldenAssignmentIsWhatTheSchedulerWrites() throws Exception {
        Job golden = Job.parseFrom(ContractFixtures.bytes("job.binpb"));
        Route toSpain = new Route("edge-es", INT8, 2, "least gCO2e", NOW, new Option("edge-es", INT8, 2, 0, 0, ""), List.of());
        GridSignal spain = GridSignal.now("ES", 180.5, "electricitymaps");
        assertArrayEquals(ContractFixtures.bytes("assignment.binpb"),
                messages.assignment("decision-1", golden, Urgency.BATCH, toSpain, Optional.of(spain), Optional.empty(), ContractFixtures.DECIDED, ContractFixtures.HELD).toByteArray());
    }
}
