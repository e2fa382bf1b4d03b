package io.un0.proto;

import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.mesh.v1.Lease;
import io.un0.proto.v1.Alternative;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.Priority;
import java.time.Duration;
import java.time.Instant;

/**
 * How a gateway applies a scheduler's {@link Lease} to one interactive job: whether the job fits the terms the route
 * was decided for, and the assignment and decision records it then writes in the scheduler's stead. The route, the
 * options weighed and the reason stay the scheduler's; the gateway adds only the job and the time.
 */
public final class Leases {

    private Leases() {
    }

    /**
     * Whether {@code job} is one the lease's route was decided for: interactive, one image, the lease's quality
     * exactly, a region list that allows the pool's region, time left before its deadline for the route's expected
     * run, and the lease not expired at {@code now}. Anything else goes through a scheduler.
     */
    public static boolean fits(Lease lease, Job job, Instant now) {
        if (!now.isBefore(ProtoTime.instant(lease.getExpires())) || job.getPriority() != Priority.PRIORITY_INTERACTIVE || job.getCount() != 1
                || !job.getBatchId().isEmpty() || !job.getQuality().equals(lease.getQuality())) {
            return false;
        }
        if (job.getAllowedRegionsCount() > 0 && !job.getAllowedRegionsList().contains(lease.getRegion())) {
            return false;
        }
        double expectedSeconds = lease.getDecision().getChosen().getExpectedSeconds();
        Duration expected = Double.isFinite(expectedSeconds) && expectedSeconds > 0 ? Duration.ofNanos((long) (expectedSeconds * 1e9)) : Duration.ZERO;
        return !job.hasDeadline() || ProtoTime.instant(job.getDeadline()).isAfter(now.plus(expected));
    }

    /** The job for the lease's pool, as the scheduler would have written it: decided now, held for no time. */
    public static Assignment assignment(Lease lease, Job job, String decisionId, Instant now) {
        Alternative route = lease.getDecision().getChosen();
        Assignment.Builder a = Assignment.newBuilder().setJob(job).setPool(route.getPool()).setPrecision(route.getPrecision())
                .setSteps(route.getSteps()).setDecisionId(decisionId).setDecided(ProtoTime.timestamp(now))
                .setHeld(ProtoTime.duration(Duration.ZERO));
        if (lease.hasGrid()) {
            a.setGrid(lease.getGrid());
        }
        if (lease.hasShared()) {
            a.setShared(lease.getShared());
        }
        return a.build();
    }

    /** The audit record of the assignment: the lease's decision, for this job, naming the lease and the gateway. */
    public static Decision decision(Lease lease, Job job, String decisionId, Instant now) {
        return lease.getDecision().toBuilder().setDecisionId(decisionId).setJobId(job.getJobId()).setImages(job.getCount())
                .setPriority(Priority.PRIORITY_INTERACTIVE).setDecided(ProtoTime.timestamp(now))
                .setLeaseId(lease.getLeaseId()).setGateway(lease.getGateway()).build();
    }
}
