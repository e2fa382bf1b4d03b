package io.un0.scheduler.loop;

import io.un0.proto.Leases;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.mesh.v1.Lease;
import io.un0.proto.mesh.v1.ProcessEnergy;
import io.un0.proto.mesh.v1.ProcessRole;
import io.un0.proto.v1.Priority;
import io.un0.proto.v1.Quality;
import io.un0.proto.v1.QualityTier;
import io.un0.routing.CarbonAwarePolicy;
import io.un0.routing.FleetView;
import io.un0.routing.PoolView;
import io.un0.routing.Rate;
import io.un0.scheduler.mapping.RouteMessages;
import io.un0.vocabulary.DeviceClass;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static io.un0.vocabulary.Precision.INT8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InteractiveLeasesTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    private final InteractiveLeases leases = new InteractiveLeases(new CarbonAwarePolicy(CarbonAwarePolicy.Settings.DEFAULT),
            new RouteMessages("carbon-aware", "s-1"), 1000);

    /** 400 images/s at one step, room for 100 images. */
    private static PoolView pool(String name, int queued) {
        return new PoolView(name, "site", "ES", DeviceClass.CPU, Map.of(INT8, new Rate(400, 0.01)), 2, 100, queued, queued, queued, 2, 2,
                Double.POSITIVE_INFINITY, 0);
    }

    private static ProcessEnergy process(ProcessRole role, String name, Instant sent) {
        String prefix = role == ProcessRole.PROCESS_ROLE_GATEWAY ? "gateway/" : "worker/";
        return ProcessEnergy.newBuilder().setProcess(prefix + name).setRole(role).setSent(ProtoTime.timestamp(sent)).build();
    }

    @Test
    void eachGatewayHeardFromLatelyGetsItsShareOfThePoolsSpeedUntilTheNextRenewal() {
        List<Lease> issued = leases.renew(new FleetView(NOW, List.of(pool("edge", 0))), List.of(
                process(ProcessRole.PROCESS_ROLE_GATEWAY, "gw-b", NOW.minusSeconds(1)),
                process(ProcessRole.PROCESS_ROLE_GATEWAY, "gw-a", NOW.minusSeconds(2)),
                process(ProcessRole.PROCESS_ROLE_GATEWAY, "gw-gone", NOW.minusSeconds(60)),
                process(ProcessRole.PROCESS_ROLE_WORKER, "edge-1", NOW)), p -> Optional.empty(), Optional.empty());
        assertEquals(List.of("gw-a", "gw-b"), issued.stream().map(Lease::getGateway).toList());
        Lease lease = issued.get(0);
        // 400 images/s over the 500 ms until the next renewal is 200, capped by the room (100), shared by two gateways.
        assertEquals(50, lease.getImages());
        assertEquals("edge", lease.getDecision().getChosen().getPool());
        assertEquals(1, lease.getDecision().getChosen().getSteps());
        assertEquals("s-1", lease.getDecision().getScheduler());
        assertEquals("ES", lease.getRegion());
        assertEquals(NOW.plus(InteractiveLeases.EVERY.multipliedBy(3)), ProtoTime.instant(lease.getExpires()));
        assertEquals(Quality.getDefaultInstance(), lease.getQuality());
        assertTrue(lease.getDecision().getJobId().isEmpty(), "the gateway names the job");
        assertFalse(leases.due(NOW.plusMillis(499)));
        assertTrue(leases.due(NOW.plus(InteractiveLeases.EVERY)));
    }

    @Test
    void noLeaseWhereThePolicyRoutesNoInteractiveImageOrNoGatewayIsHeardFrom() {
        ProcessEnergy gateway = process(ProcessRole.PROCESS_ROLE_GATEWAY, "gw-a", NOW);
        assertTrue(leases.renew(new FleetView(NOW, List.of(pool("edge", 100))), List.of(gateway), p -> Optional.empty(), Optional.empty()).isEmpty(),
                "a full pool: the jobs go to a scheduler, which sheds them with the reason");
        assertTrue(leases.renew(new FleetView(NOW, List.of()), List.of(gateway), p -> Optional.empty(), Optional.empty()).isEmpty());
        assertTrue(leases.renew(new FleetView(NOW, List.of(pool("edge", 0))), List.of(), p -> Optional.empty(), Optional.empty()).isEmpty());
    }

    @Test
    void aGatewayAppliesTheLeaseOnlyToJobsOfItsTerms() {
        Lease lease = leases.renew(new FleetView(NOW, List.of(pool("edge", 0))), List.of(process(ProcessRole.PROCESS_ROLE_GATEWAY, "gw-a", NOW)),
                p -> Optional.empty(), Optional.empty()).get(0);
        Job job = Job.newBuilder().setJobId("j-1").setCount(1).setPriority(Priority.PRIORITY_INTERACTIVE).setQuality(Quality.getDefaultInstance())
                .setDeadline(ProtoTime.timestamp(NOW.plusSeconds(30))).setReplyTo("gw-a").build();
        assertTrue(Leases.fits(lease, job, NOW));
        assertTrue(Leases.fits(lease, job.toBuilder().addAllowedRegions("ES").build(), NOW));
        assertFalse(Leases.fits(lease, job.toBuilder().addAllowedRegions("FR").build(), NOW), "data residency");
        assertFalse(Leases.fits(lease, job.toBuilder().setCount(2).build(), NOW), "decided for one image");
        assertFalse(Leases.fits(lease, job.toBuilder().setQuality(Quality.newBuilder().setTier(QualityTier.QUALITY_TIER_BEST)).build(), NOW));
        assertFalse(Leases.fits(lease, job.toBuilder().setPriority(Priority.PRIORITY_BATCH).build(), NOW));
        assertFalse(Leases.fits(lease, job.toBuilder().setDeadline(ProtoTime.timestamp(NOW)).build(), NOW), "no time left to run it");
        assertFalse(Leases.fits(lease, job, ProtoTime.instant(lease.getExpires())), "expired");

        var assignment = Leases.assignment(lease, job, "d-1", NOW.plusMillis(3));
        assertEquals("edge", assignment.getPool());
        assertEquals(1, assignment.getSteps());
        assertEquals(job, assignment.getJob());
        assertEquals(NOW.plusMillis(3), ProtoTime.instant(assignment.getDecided()));
        var decision = Leases.decision(lease, job, "d-1", NOW.plusMillis(3));
        assertEquals("d-1", decision.getDecisionId());
        assertEquals("j-1", decision.getJobId());
        assertEquals(1, decision.getImages());
        assertEquals(lease.getLeaseId(), decision.getLeaseId());
        assertEquals("gw-a", decision.getGateway());
        assertEquals(lease.getDecision().getChosen(), decision.getChosen());
        assertEquals(lease.getDecision().getReason(), decision.getReason());
    }
}
