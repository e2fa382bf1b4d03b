package io.un0.routing;

import java.util.Set;

/**
 * A job as the policy sees it. Read-only.
 *
 * @param steps             requested network evaluations per image
 * @param allowedPrecisions empty: any
 * @param allowedRegions    empty: anywhere (data residency)
 */
public record JobView(String jobId, int images, int steps, Set<String> allowedPrecisions, Set<String> allowedRegions) {

    public JobView {
        allowedPrecisions = Set.copyOf(allowedPrecisions);
        allowedRegions = Set.copyOf(allowedRegions);
    }

    boolean allowsRegion(String region) {
        return allowedRegions.isEmpty() || allowedRegions.contains(region);
    }

    boolean allowsPrecision(String precision) {
        return allowedPrecisions.isEmpty() || allowedPrecisions.contains(precision);
    }
}
