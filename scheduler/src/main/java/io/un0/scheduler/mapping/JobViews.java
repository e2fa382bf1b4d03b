package io.un0.scheduler.mapping;

import io.un0.proto.v1.Job;
import io.un0.proto.v1.Precision;
import io.un0.routing.JobView;

import java.util.HashSet;
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
        Set<String> precisions = new HashSet<>();
        for (Precision p : job.getQuality().getAllowedPrecisionsList()) {
            precisions.add(Precisions.name(p, "quality.allowed_precisions"));
        }
        for (String region : job.getAllowedRegionsList()) {
            if (region.isBlank()) {
                throw new InvalidEnvelopeException("allowed_regions", "an entry is empty; leave the list empty to allow any region");
            }
        }
        return new JobView(job.getJobId(), (int) count, QualitySteps.of(job.getQuality()), precisions,
                Set.copyOf(job.getAllowedRegionsList()));
    }
}
