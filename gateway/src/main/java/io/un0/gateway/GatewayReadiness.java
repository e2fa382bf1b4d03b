package io.un0.gateway;

import io.un0.gateway.health.SchedulerWatch;
import io.un0.gateway.results.ResultReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready to take calls once the results reader has caught up (before that, a result could find no caller) and while a
 * scheduler runs (without one, no job is routed).
 */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {

    private final ResultReader results;
    private final GatewayInstance instance;
    private final SchedulerWatch scheduler;

    public GatewayReadiness(ResultReader results, GatewayInstance instance, SchedulerWatch scheduler) {
        this.results = results;
        this.instance = instance;
        this.scheduler = scheduler;
    }

    /** Ready once results are caught up and while a scheduler runs, so that calls sent here can be answered. */
    @Override
    public HealthCheckResponse call() {
        Optional<String> noScheduler = scheduler.noScheduler();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("un0-results").status(results.caughtUp() && noScheduler.isEmpty())
                .withData("instance", instance.id());
        noScheduler.ifPresent(why -> response.withData("scheduler", why));
        return response.build();
    }
}
