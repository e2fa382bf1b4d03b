package io.un0.worker;

import io.un0.kafka.KafkaAccess;
import java.time.Duration;

/**
 * One worker's identity and batching limits.
 *
 * @param maxBatchImages largest number of images run through the engine at once
 * @param maxWait        how long the first assignment of a batch may wait for company (not when an interactive job is in hand)
 * @param capacityImages images the worker offers to hold at once (in hand and on their way), as its heartbeats tell
 *                       the scheduler; enough to keep the engine busy between two heartbeats
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

    /** Workers of a pool share one consumer group, so each assignment goes to one of them. */
    public String consumerGroup() {
        return "un0-pool-" + pool;
    }
}
