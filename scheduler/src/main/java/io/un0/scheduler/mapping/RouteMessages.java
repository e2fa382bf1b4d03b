package io.un0.scheduler.mapping;

import io.un0.energy.BoundaryShare;
import io.un0.proto.ProtoTime;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.mesh.v1.Deferral;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.mesh.v1.Lease;
import io.un0.proto.v1.Alternative;
import io.un0.proto.v1.Carbon;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.DecisionKind;
import io.un0.proto.v1.Quality;
import io.un0.routing.GridSignal;
import io.un0.routing.Option;
import io.un0.routing.Route;
import io.un0.routing.Urgency;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A routing policy's answer as the contract spells it: the assignment, deferral and decision records the scheduler
 * writes. The outbound counterpart of {@link JobViews}, {@link WorkerStates} and {@link GridSignals}.
 *
 * @param policy    the policy's configured name, recorded on every decision
 * @param scheduler the instance deciding, recorded on every decision
 */
public record RouteMessages(String policy, String scheduler) {

    /**
     * The job for its pool's workers, with the grid signal the route was priced by (what they account gCO2e with) and
     * the mesh's own energy per image as last measured (what they add for the whole boundary). The job's priority is
     * the urgency the scheduler read in it, spelt out where the job left it unspecified: it names the lane the
     * assignment travels ({@link io.un0.proto.MeshTopic#assignments(String, io.un0.proto.v1.Priority)}).
     *
     * @param held how long before {@code decided} the scheduler took the job up
     */
    public Assignment assignment(String decisionId, Job job, Urgency urgency, Route route, Optional<GridSignal> grid, Optional<BoundaryShare> shared,
                                 Instant decided, Duration held) {
        Assignment.Builder assignment = Assignment.newBuilder().setJob(job.toBuilder().setPriority(JobViews.priority(urgency))).setPool(route.pool())
                .setPrecision(ProtoVocabulary.toProto(route.precision())).setSteps(route.steps()).setDecisionId(decisionId)
                .setDecided(ProtoTime.timestamp(decided)).setHeld(ProtoTime.duration(held));
        grid.map(RouteMessages::carbon).ifPresent(assignment::setGrid);
        shared.map(BoundaryShare::toProto).ifPresent(assignment::setShared);
        return assignment.build();
    }

    /** The job held on the deferred topic until the route's start, planned for its pool and step count. */
    public Deferral deferral(String decisionId, Job job, Route route) {
        return Deferral.newBuilder().setJob(job).setHoldUntil(ProtoTime.timestamp(route.start()))
                .setDecisionId(decisionId).setPool(route.pool()).setSteps(route.steps()).build();
    }

    /** The job held on the deferred topic while no pool has room for it: offered again at once after a restart. */
    public Deferral waiting(Job job, Instant since) {
        return Deferral.newBuilder().setJob(job).setHoldUntil(ProtoTime.timestamp(since)).build();
    }

    /**
     * Why the job runs where it does, with the options weighed beside it.
     *
     * @param carbonBlind what carbon-blind routing would have done with it on the same view, if anything
     */
    public Decision assigned(String decisionId, Job job, Urgency urgency, Instant now, Route route, Optional<Option> carbonBlind) {
        return routed(decisionId, job.getJobId(), DecisionKind.DECISION_KIND_ASSIGN, now, route, carbonBlind)
                .setImages(job.getCount()).setPriority(JobViews.priority(urgency)).build();
    }

    /** Why the job waits, until when, and what running it now would have cost. */
    public Decision deferred(String decisionId, Job job, Instant now, Route route, Optional<Option> carbonBlind) {
        return routed(decisionId, job.getJobId(), DecisionKind.DECISION_KIND_DEFER, now, route, carbonBlind).setHoldUntil(ProtoTime.timestamp(route.start())).build();
    }

    /** Why the job was dropped unrun: its batch was cancelled. */
    public Decision cancelled(String decisionId, Job job, Instant now, String reason) {
        return decision(decisionId, job.getJobId(), DecisionKind.DECISION_KIND_CANCEL, now, reason).build();
    }

    /** Why no pool could take the job. */
    public Decision shed(String decisionId, Job job, Instant now, String reason) {
        return decision(decisionId, job.getJobId(), DecisionKind.DECISION_KIND_SHED, now, reason).build();
    }

    /**
     * A gateway's lease of {@code route}, decided now for one interactive image of {@code quality}: the decision without
     * a job, which the gateway completes per job ({@link io.un0.proto.Leases}), with what an assignment carries.
     *
     * @param images  how many single-image jobs the gateway may assign under it
     * @param region  the route's pool's region
     */
    public Lease lease(String leaseId, String gateway, Quality quality, Instant now, Route route, String region, Optional<Option> carbonBlind,
                       int images, Instant expires, Optional<GridSignal> grid, Optional<BoundaryShare> shared) {
        Lease.Builder lease = Lease.newBuilder().setLeaseId(leaseId).setGateway(gateway).setQuality(quality).setRegion(region)
                .setDecision(routed("", "", DecisionKind.DECISION_KIND_ASSIGN, now, route, carbonBlind)).setImages(images)
                .setExpires(ProtoTime.timestamp(expires));
        grid.map(RouteMessages::carbon).ifPresent(lease::setGrid);
        shared.map(BoundaryShare::toProto).ifPresent(lease::setShared);
        return lease.build();
    }

    private Decision.Builder routed(String decisionId, String jobId, DecisionKind kind, Instant now, Route route, Optional<Option> carbonBlind) {
        Decision.Builder d = decision(decisionId, jobId, kind, now, route.reason()).setChosen(alternative(route.expected()))
                .addAllAlternatives(route.weighed().stream().map(RouteMessages::alternative).toList());
        carbonBlind.map(RouteMessages::alternative).ifPresent(d::setCarbonBlind);
        return d;
    }

    private Decision.Builder decision(String decisionId, String jobId, DecisionKind kind, Instant now, String reason) {
        return Decision.newBuilder().setDecisionId(decisionId).setJobId(jobId).setKind(kind)
                .setPolicy(policy).setScheduler(scheduler).setDecided(ProtoTime.timestamp(now)).setReason(reason);
    }

    static Alternative alternative(Option o) {
        return Alternative.newBuilder().setPool(o.pool()).setPrecision(ProtoVocabulary.toProto(o.precision())).setSteps(o.steps())
                .setExpectedGramsCo2E(o.expectedGrams()).setExpectedSeconds(o.expectedSeconds()).setRejectedBecause(o.rejectedBecause()).build();
    }

    static Carbon carbon(GridSignal g) {
        return Carbon.newBuilder().setRegion(g.region()).setIntensityGPerKwh(g.intensity().gramsPerKwh()).setSignalSource(g.intensity().source())
                .setSignalStale(g.intensity().stale()).build();
    }
}
