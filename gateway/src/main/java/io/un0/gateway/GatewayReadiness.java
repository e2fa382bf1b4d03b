package io.un0.gateway;

import io.un0.gateway.results.ResultReader;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready to take calls once the results reader has caught up: before that, a result could find no caller. */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {

    private final ResultReader results;
    private final GatewayInstance instance;

    public GatewayReadiness(ResultReader results, GatewayInstance instance) {
        this.results = results;
        this.instance = instance;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("un0-results").status(results.caughtUp()).withData("instance", instance.id()).build();
    }
}
