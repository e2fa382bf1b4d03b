package io.un0.routing;

import io.un0.vocabulary.Precision;
import java.time.Instant;
import java.util.Set;

/**
 * A job as the policy sees it. Read-only.
 *
 * @param steps             network evaluations per image the request asked for
 * @param minSteps          the fewest steps the request allows (its quality floor), ≤ {@code steps}
 * @param allowedPrecisions empty: any
 * @param allowedRegions    empty: anywhere (data residency)
 * @param deadline          when the images must be done; {@link Instant#MAX} for none
 */
public record JobView(String jobId, int images, int steps, int minSteps, Set<Precision> allowedPrecisions, Set<String> allowedRegions,
                      Urgency urgency, Instant deadline) {

    public JobView {
        allowedPrecisions = Set.copyOf(allowedPrecisions);
        allowedRegions = Set.copyOf(allowedRegions);
        if (minSteps < 1 || minSteps > steps) {
            throw new IllegalArgumentException("job " + jobId + ": min steps " + minSteps + " must be within 1.." + steps);
        }
    }

    /** An interactive job with no deadline that runs exactly the steps it asks for. */
    public static JobView interactive(String jobId, int images, int steps, Set<Precision> allowedPrecisions, Set<String> allowedRegions) {
        return new JobView(jobId, images, steps, steps, allowedPrecisions, allowedRegions, Urgency.INTERACTIVE, Instant.MAX);
    }

    public boolean allowsRegion(String region) {
        return allowedRegions.isEmpty() || allowedRegions.contains(region);
    }

    public boolean allowsPrecision(Precision precision) {
        return allowedPrecisions.isEmpty() || allowedPrecisions.contains(precision);
    }
}
