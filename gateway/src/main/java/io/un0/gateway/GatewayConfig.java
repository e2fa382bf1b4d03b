package io.un0.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMin;

/** The gateway's limits and timings. The Kafka address is {@code un0.kafka.bootstrap-servers}, as for every app. */
@ConfigMapping(prefix = "un0.gateway")
public interface GatewayConfig {

    /** This instance's name on the results topic (jobs carry it as reply_to) and in its batch expander's transactional id; random when unset. */
    Optional<String> instanceId();

    /** Most images one Generate call may ask for. */
    @WithDefault("64")
    @Min(1)
    int maxImagesPerRequest();

    /** Most items in one batch. */
    @WithDefault("10000")
    @Min(1)
    int maxBatchItems();

    /** How long a call waits for its images when the request sets no deadline. */
    @WithDefault("60s")
    @DurationMin(nanos = 0, inclusive = false)
    Duration defaultTimeout();

    /** How long a write to Kafka may wait for the broker before the call is answered UNAVAILABLE. */
    @WithDefault("3s")
    @DurationMin(nanos = 0, inclusive = false)
    Duration sendTimeout();

    /** The retry delay suggested to clients answered UNAVAILABLE or RESOURCE_EXHAUSTED. */
    @WithDefault("5s")
    @DurationMin(nanos = 0)
    Duration retryAfter();

    /** How long a batch that sets no deadline may take. */
    @WithDefault("24h")
    @DurationMin(nanos = 0, inclusive = false)
    Duration batchDeadline();

    /** How long a Generate answer is kept for retries under its idempotency key. */
    @WithDefault("10m")
    @DurationMin(nanos = 0)
    Duration idempotencyRetention();

    /** The most bytes of answers kept for retries under idempotency keys; the oldest go first. */
    @WithDefault("67108864")
    @Min(0)
    long idempotencyBytes();

    /** How often Kafka is asked whether a scheduler runs. */
    @WithDefault("2s")
    @DurationMin(nanos = 0, inclusive = false)
    Duration schedulerCheckEvery();

    /** How long no scheduler may be seen (a restart) before Generate is refused and the gateway is not ready. */
    @WithDefault("10s")
    @DurationMin(nanos = 0)
    Duration schedulerGrace();

    /** How many Kafka readers fetch batch images from the results topic at once; more FetchBatchImages calls wait. */
    @WithDefault("4")
    @Min(1)
    int imageReaders();

    /**
     * Batches whose last event is older than this are forgotten. With the longest batch deadline it must fit in the
     * results topic's retention, which holds the images.
     */
    @WithDefault("6h")
    @DurationMin(nanos = 0, inclusive = false)
    Duration batchRetention();
}
