package io.un0.scheduler.mapping;

import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.Priority;
import io.un0.routing.JobView;
import io.un0.routing.Urgency;
import io.un0.vocabulary.Precision;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/** A job as the routing policy sees it, after the checks that a job must pass to be routed at all. */
public final class JobViews {

    private JobViews() {
    }

    public static JobView of(Job job) throws InvalidEnvelopeException {
        if (job.getJobId().isBlank()) {
            throw new InvalidEnvelopeException("job_id", "missing");
        }
        long count = Integer.toUnsignedLong(job.getCount());
        if (count < 1 || count > Integer.MAX_VALUE) {
            throw new InvalidEnvelopeException("count", count + " is outside 1.." + Integer.MAX_VALUE);
        }
        Set<Precision> precisions = EnumSet.noneOf(Precision.class);
        for (io.un0.proto.v1.Precision p : job.getQuality().getAllowedPrecisionsList()) {
            precisions.add(Precisions.read(p, "quality.allowed_precisions"));
        }
        for (String region : job.getAllowedRegionsList()) {
            if (region.isBlank()) {
                throw new InvalidEnvelopeException("allowed_regions", "an entry is empty; leave the list empty to allow any region");
            }
        }
        int steps = QualitySteps.of(job.getQuality());
        // QualitySteps has refused a floor above explicit steps and lifted a tier to it: the floor is at most the steps here.
        int floor = job.getQuality().getMinSteps();
        return new JobView(job.getJobId(), (int) count, steps, floor == 0 ? steps : floor, precisions,
                Set.copyOf(job.getAllowedRegionsList()), urgency(job), job.hasDeadline() ? ProtoTime.instant(job.getDeadline()) : Instant.MAX);
    }

    /**
     * As the job says; when it does not: interactive when a caller waits on it (reply_to set, not a batch item),
     * else batch, since no one is on the line.
     */
    private static Urgency urgency(Job job) throws InvalidEnvelopeException {
        if (job.getPriority() == Priority.PRIORITY_UNSPECIFIED) {
            return job.getBatchId().isEmpty() && !job.getReplyTo().isEmpty() ? Urgency.INTERACTIVE : Urgency.BATCH;
        }
        if (job.getPriority() == Priority.UNRECOGNIZED) {
            throw new InvalidEnvelopeException("priority", "unknown priority " + job.getPriorityValue());
        }
        return urgency(job.getPriority());
    }

    /** The urgency a priority names; unspecified reads as batch. */
    public static Urgency urgency(Priority priority) throws InvalidEnvelopeException {
        return switch (priority) {
            case PRIORITY_INTERACTIVE -> Urgency.INTERACTIVE;
            case PRIORITY_BATCH, PRIORITY_UNSPECIFIED -> Urgency.BATCH;
            case PRIORITY_DEFERRABLE -> Urgency.DEFERRABLE;
            case UNRECOGNIZED -> throw new InvalidEnvelopeException("priority", "unknown priority");
        };
    }

    /** The inverse of the job's urgency, written on its assignment so that the workers read what the scheduler decided. */
    public static Priority priority(Urgency urgency) {
        return switch (urgency) {
            case INTERACTIVE -> Priority.PRIORITY_INTERACTIVE;
            case BATCH -> Priority.PRIORITY_BATCH;
            case DEFERRABLE -> Priority.PRIORITY_DEFERRABLE;
        };
    }
}
