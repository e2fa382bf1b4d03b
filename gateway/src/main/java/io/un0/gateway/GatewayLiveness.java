package io.un0.gateway;

import io.un0.gateway.batches.BatchExpander;
import io.un0.gateway.kafka.ConsumerThread;
import io.un0.gateway.results.ResultReader;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import java.util.List;

/**
 * Down once a Kafka reader has stopped on a failure: without the results reader no call is ever answered, without
 * the batch expander no batch advances, and neither restarts itself, so the process must be restarted.
 */
@Liveness
@ApplicationScoped
public class GatewayLiveness implements HealthCheck {

    private final List<ConsumerThread> readers;

    public GatewayLiveness(ResultReader results, BatchExpander batches) {
        this.readers = List.of(results, batches);
    }

    @Override
    public HealthCheckResponse call() {
        return of(readers);
    }

    /** Up while no reader has failed; each failed one is named with its failure. */
    static HealthCheckResponse of(List<ConsumerThread> readers) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("un0-gateway-readers").up();
        for (ConsumerThread reader : readers) {
            reader.failure().ifPresent(e -> response.down().withData(reader.name(), String.valueOf(e.getMessage())));
        }
        return response.build();
    }
}
