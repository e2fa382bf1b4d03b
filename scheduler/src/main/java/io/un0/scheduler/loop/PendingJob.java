package io.un0.scheduler.loop;

import io.opentelemetry.context.Context;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.Job;
import io.un0.routing.JobView;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * A job that passed its checks and awaits a route: where it was read, the trace it came in, when it may be routed
 * and when it may wait no longer.
 *
 * @param partition the job partition it was read from; a deferral goes to the same partition number of the deferred topic
 * @param offset    while present, its offset holds the partition's commit point; empty once the deferred topic holds it
 * @param holdUntil not routed before then (a deferral); {@link Instant#MIN} when it may go at once
 * @param giveUpAt  its deadline, or for a job without one, when it has waited the longest a job may
 * @param plannedPool   for a deferral, the pool it was planned for ("" for none), counted in the plan of deferred work
 * @param plannedEvals  the evaluations it was planned with there
 */
record PendingJob(TopicPartition partition, OptionalLong offset, Job job, JobView view, Context sentIn, Instant read,
                  Instant holdUntil, Instant giveUpAt, String plannedPool, double plannedEvals) {

    static PendingJob read(TopicPartition partition, long offset, Job job, JobView view, Context sentIn, Instant read, Instant giveUpAt) {
        return new PendingJob(partition, OptionalLong.of(offset), job, view, sentIn, read, Instant.MIN, giveUpAt, "", 0);
    }

    /** On the deferred topic: its offset no longer holds anything back. */
    boolean deferred() {
        return offset.isEmpty();
    }

    PendingJob deferredUntil(Instant at, String pool, double evals) {
        return new PendingJob(partition, OptionalLong.empty(), job, view, sentIn, read, at, giveUpAt, pool, evals);
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
