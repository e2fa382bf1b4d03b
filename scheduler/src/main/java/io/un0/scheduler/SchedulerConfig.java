package io.un0.scheduler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMin;

/** The scheduler's settings ({@code un0.scheduler.*}); the broker address is {@code un0.kafka.bootstrap-servers}, as in every app. */
@ConfigMapping(prefix = "un0.scheduler")
public interface SchedulerConfig {

    /** The routing policy, by name: one of those {@link io.un0.scheduler.policy.RoutingPolicyProducer} knows. */
    @WithDefault("carbon-aware")
    String policy();

    /** A worker not heard from for this long drops out of the fleet, and its pool with it when it was the last. */
    @WithDefault("3s")
    @DurationMin(nanos = 0, inclusive = false)
    Duration liveness();

    /** How often jobs that no pool could take are offered to the policy again. */
    @WithDefault("100ms")
    @DurationMin(nanos = 0, inclusive = false)
    Duration retryEvery();

    /** How long a job without a deadline waits for a pool before it is shed. */
    @WithDefault("30s")
    @DurationMin(nanos = 0, inclusive = false)
    Duration maxHold();

    /** This instance's name: its Kafka client ids, dead letters and transactional id carry it. */
    @WithDefault("${HOSTNAME:un0-scheduler}")
    String instance();

    /** What is declared per device class ({@code cpu}, {@code gpu}, {@code npu}), for what heartbeats do not measure. */
    Map<String, Hardware> hardware();

    /** One worker of a device class ({@code un0.scheduler.hardware.<class>.*}); the defaults and their sources are in application.properties. */
    interface Hardware {

        /** Drawn with nothing to run. */
        @PositiveOrZero
        double idleWatts();

        /** Per precision ({@code fp32}, {@code int8}), until the worker has measured it: evaluations per second at full speed. */
        Map<String, @Positive Double> evalsPerSecond();

        /** Per precision, until the worker has measured it: joules per evaluation at full speed, idle share included. */
        Map<String, @Positive Double> joulesPerEval();

        /** kgCO2e to make the hardware one worker holds (SCI's M) ... */
        @PositiveOrZero
        double embodiedKg();

        /** ... written off over this many years of service. */
        @Positive
        double lifetimeYears();
    }
}
