package io.un0.gateway.quotas;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Each tenant's images-per-second quota as a token bucket holding at most one second's worth. A call may take more
 * than the bucket holds (a call of 64 images under a quota of 10 a second would otherwise never pass): it goes into
 * debt, and later calls wait until the debt is paid off. Per gateway instance: n instances admit up to n times the rate.
 */
final class ImageRates {

    private static final class Bucket {
        double tokens;
        Instant updated;
    }

    private final Map<String, Bucket> buckets = new HashMap<>();

    /** Empty when the call may go ahead (and its images are taken), else how long until it may. */
    synchronized Optional<Duration> take(String tenant, double perSecond, int images, Instant now) {
        Bucket b = buckets.computeIfAbsent(tenant, t -> {
            Bucket fresh = new Bucket();
            fresh.tokens = perSecond;
            fresh.updated = now;
            return fresh;
        });
        double elapsed = Math.max(0, Duration.between(b.updated, now).toNanos() / 1e9);
        b.tokens = Math.min(perSecond, b.tokens + elapsed * perSecond);
        b.updated = now;
        if (b.tokens <= 0) {
            return Optional.of(Duration.ofNanos((long) Math.ceil(-b.tokens / perSecond * 1e9) + 1));
        }
        b.tokens -= images;
        return Optional.empty();
    }
}
