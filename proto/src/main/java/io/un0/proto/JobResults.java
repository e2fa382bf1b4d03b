package io.un0.proto;

import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.FailureKind;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;

/**
 * How any service answers a job on {@code un0.results.v1}: the result names the job as the job named itself, and is
 * keyed the one way every consumer expects.
 */
public final class JobResults {

    private JobResults() {
    }

    /** A result for the job, carrying back what identifies it and whom it goes to; status and content to add. */
    public static JobResult.Builder answering(Job job) {
        return JobResult.newBuilder().setJobId(job.getJobId()).setBatchId(job.getBatchId()).setItemIndex(job.getItemIndex())
                .setClassId(job.getClassId()).setReplyTo(job.getReplyTo()).setTenant(job.getTenant());
    }

    /** @param error why, for people, naming the field where one is to blame */
    public static JobResult failed(Job job, FailureKind kind, String error) {
        return answering(job).setStatus(JobStatus.JOB_STATUS_FAILED).setFailure(kind).setError(error).build();
    }

    /** The result as the accounting topic keeps it: everything but the images. */
    public static JobResult account(JobResult result) {
        return result.toBuilder().clearPng().build();
    }

    /** Batch items by their batch, so one batch's results stay in order on one partition; others by job. */
    public static String key(JobResult result) {
        return result.getBatchId().isEmpty() ? result.getJobId() : result.getBatchId();
    }
}
