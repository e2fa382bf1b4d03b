package io.un0.scheduler;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Down once the loop has stopped on a failure: it does not restart itself, so the process must be restarted. */
@Liveness
@Singleton
public class SchedulerLiveness implements HealthCheck {

    private final SchedulerService scheduler;

    SchedulerLiveness(SchedulerService scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public HealthCheckResponse call() {
        return scheduler.failure()
                .map(e -> HealthCheckResponse.named("un0-scheduler-loop").down().withData("failure", String.valueOf(e.getMessage())).build())
                .orElseGet(() -> HealthCheckResponse.up("un0-scheduler-loop"));
    }
}
