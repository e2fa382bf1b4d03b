package io.un0.scheduler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The scheduler's settings ({@code un0.scheduler.*}); the broker address is {@code un0.kafka.bootstrap-servers}, as in every app. */
@ConfigMapping(prefix = "un0.scheduler")
public interface SchedulerConfig {

    /** The routing policy, by name: one of those {@link io.un0.scheduler.policy.RoutingPolicyProducer} knows. */
    @WithDefault("least-loaded")
    String policy();

    /** A worker not heard from for this long drops out of the fleet, and its pool with it when it was the last. */
    @WithDefault("3s")
    Duration liveness();

    /** How often jobs that no pool could take are offered to the policy again. */
    @WithDefault("100ms")
    Duration retryEvery();

    /** How long a job without a deadline waits for a pool before it is shed. */
    @WithDefault("30s")
    Duration maxHold();

    /** This instance's name: its Kafka client ids and dead letters carry it. */
    @WithDefault("${HOSTNAME:un0-scheduler}")
    String instance();
}
