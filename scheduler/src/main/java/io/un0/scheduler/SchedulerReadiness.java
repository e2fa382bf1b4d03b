package io.un0.scheduler;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the loop routes jobs: up after the broker answered and the fleet was read, down once it stops. */
@Readiness
@Singleton
public class SchedulerReadiness implements HealthCheck {

    private final SchedulerService scheduler;
    private final SchedulerConfig config;

    SchedulerReadiness(SchedulerService scheduler, SchedulerConfig config) {
        this.scheduler = scheduler;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("un0-scheduler")
                .withData("kafka", scheduler.bootstrapServers()).withData("policy", config.policy());
        scheduler.failure().ifPresent(e -> response.withData("failure", String.valueOf(e.getMessage())));
        return response.status(scheduler.routing()).build();
    }
}
