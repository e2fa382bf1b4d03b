package io.un0.scheduler.loop;

import java.time.Duration;

/**
 * What the scheduler loop needs to run, free of any framework.
 *
 * @param instance   this instance's name: prefix of its Kafka client ids, and the service its dead letters name
 * @param policy     the routing policy's name, as decisions and spans record it
 * @param liveness   a worker not heard from for this long drops out of the fleet
 * @param retryEvery how often held jobs are offered to the policy again
 * @param maxHold    how long a job without a deadline waits for a pool before it is shed
 */
public record SchedulerSettings(String bootstrapServers, String instance, String policy, Duration liveness,
                                Duration retryEvery, Duration maxHold) {

    public SchedulerSettings {
        for (Duration d : new Duration[] {liveness, retryEvery, maxHold}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("liveness, retry interval and max hold must be positive: "
                        + liveness + ", " + retryEvery + ", " + maxHold);
            }
        }
    }
}
