package io.un0.worker.app;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/** Down once the loop has died on its own: the process serves nothing more and should be restarted. */
@Liveness
@Singleton
public class WorkerLiveness implements HealthCheck {

    private final WorkerService worker;

    WorkerLiveness(WorkerService worker) {
        this.worker = worker;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("un0-worker-loop").up();
        worker.failure().ifPresent(e -> response.down().withData("failure", e.toString()));
        return response.build();
    }
}
