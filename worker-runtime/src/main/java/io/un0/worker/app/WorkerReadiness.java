package io.un0.worker.app;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the loop takes assignments; the data say who the worker is and what it runs on. */
@Readiness
@Singleton
public class WorkerReadiness implements HealthCheck {

    private final WorkerService worker;

    WorkerReadiness(WorkerService worker) {
        this.worker = worker;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("un0-worker").status(worker.running());
        worker.settings().ifPresent(s -> response.withData("worker", s.worker()).withData("pool", s.pool()));
        worker.provider().ifPresent(p -> response.withData("execution-provider", p.name()).withData("device-class", p.deviceClass().name()));
        return response.build();
    }
}
