package io.un0.scheduler.loop;

import io.opentelemetry.context.Context;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.Job;
import io.un0.routing.JobView;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;

/**
 * A job that passed its checks and awaits a route: where it was read, the trace it came in, when it may be routed
 * and when it may wait no longer.
 *
 * @param partition the job partition it was read from; a held job goes to the same partition number of the deferred topic
 * @param kept      whether the deferred topic holds it: a job held past the pass it was read in is kept there, so that its
 *                  offset is committed with the pass and a restart or a rebalance reads it back from there
 * @param holdUntil not routed before then (a deferral); {@link Instant#MIN} when it may go at once
 * @param giveUpAt  its deadline, or for a job without one, when it has waited the longest a job may
 * @param plannedPool   for a deferral, the pool it was planned for ("" for none), counted in the plan of deferred work
 * @param plannedEvals  the evaluations it was planned with there
 */
record PendingJob(TopicPartition partition, boolean kept, Job job, JobView view, Context sentIn, Instant read,
                  Instant holdUntil, Instant giveUpAt, String plannedPool, double plannedEvals) {

    static PendingJob read(TopicPartition partition, Job job, JobView view, Context sentIn, Instant read, Instant giveUpAt) {
        return new PendingJob(partition, false, job, view, sentIn, read, Instant.MIN, giveUpAt, "", 0);
    }

    /** Kept on the deferred topic until {@code at}, planned for {@code pool} ("" for none: waiting for room anywhere). */
    PendingJob deferredUntil(Instant at, String pool, double evals) {
        return new PendingJob(partition, true, job, view, sentIn, read, at, giveUpAt, pool, evals);
    }

    String jobId() {
        return job.getJobId();
    }

    /** A job's deadline; without one, the longest hold counted from when the gateway accepted it (else from now). */
    static Instant giveUpAt(Job job, Instant now, Duration maxHold) {
        if (job.hasDeadline()) {
            return ProtoTime.instant(job.getDeadline());
        }
        return (job.hasAccepted() ? ProtoTime.instant(job.getAccepted()) : now).plus(maxHold);
    }
}
