package io.un0.worker;

import io.un0.kafka.KafkaAccess;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * One worker's identity and batching limits.
 *
 * @param maxBatchImages largest number of images run through the engine at once
 * @param maxWait        how long the first assignment of a batch may wait for company (not when an interactive job is in hand)
 * @param capacityImages images the worker offers to hold at once (in hand and on their way), as its heartbeats tell
 *                       the scheduler, at the least ({@link #offeredCapacity})
 */
public record WorkerSettings(String worker, String pool, String site, String region, KafkaAccess kafka,
                             int maxBatchImages, Duration maxWait, Duration heartbeatEvery, int capacityImages) {

    public WorkerSettings {
        if (maxBatchImages < 1 || maxWait.isNegative() || heartbeatEvery.isZero() || heartbeatEvery.isNegative()
                || capacityImages < maxBatchImages) {
            // Not "+ this": the fields are not assigned yet inside a compact constructor.
            throw new IllegalArgumentException("invalid worker settings: maxBatchImages " + maxBatchImages + " (at least 1), maxWait "
                    + maxWait + " (not negative), heartbeatEvery " + heartbeatEvery + " (positive), capacityImages "
                    + capacityImages + " (at least maxBatchImages)");
        }
    }

    /**
     * The images a heartbeat offers to hold: {@code capacityImages}, or more where the engine runs more than that in
     * two heartbeat intervals at its fastest measured speed. The scheduler hears of freed room once an interval and
     * sends more up to an interval and a hop later, so a smaller queue runs dry first (512 images kept two workers of
     * a 2-core VM a fifth idle in a batch).
     *
     * @param fastestSecondsPerImage what the engine measured of its cheapest variant; empty before its first run
     */
    public int offeredCapacity(OptionalDouble fastestSecondsPerImage) {
        if (fastestSecondsPerImage.isEmpty() || !(fastestSecondsPerImage.getAsDouble() > 0)) {
            return capacityImages;
        }
        double twoIntervals = 2 * heartbeatEvery.toNanos() / 1e9;
        return (int) Math.max(capacityImages, Math.min(Integer.MAX_VALUE, Math.ceil(twoIntervals / fastestSecondsPerImage.getAsDouble())));
    }

    /** Workers of a pool share one consumer group, so each assignment goes to one of them. */
    public String consumerGroup() {
        return "un0-pool-" + pool;
    }
}
