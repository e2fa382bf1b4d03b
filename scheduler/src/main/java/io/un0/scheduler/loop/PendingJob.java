package io.un0.scheduler.loop;

import io.opentelemetry.context.Context;
import io.un0.proto.v1.Job;
import io.un0.routing.JobView;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;

/**
 * A job that passed its checks and awaits a route: where it was read (its offset holds the partition's commit
 * point while it waits), the trace it came in, and when it may wait no longer.
 *
 * @param giveUpAt its deadline, or for a job without one, when it has waited the longest a job may
 */
record PendingJob(TopicPartition partition, long offset, Job job, JobView view, Context sentIn, Instant read, Instant giveUpAt) {
}
