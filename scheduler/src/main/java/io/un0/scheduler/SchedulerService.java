package io.un0.scheduler;

import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.un0.routing.RoutingPolicy;
import io.un0.scheduler.loop.SchedulerLoop;
import io.un0.scheduler.loop.SchedulerSettings;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/** Runs the scheduler loop on its own thread from start to shutdown, and tells the health checks how it is doing. */
@Singleton
public class SchedulerService {

    private final SchedulerLoop loop;
    private final Thread thread;
    private final String bootstrapServers;

    SchedulerService(SchedulerConfig config, RoutingPolicy policy, OpenTelemetry otel,
                     @ConfigProperty(name = "un0.kafka.bootstrap-servers", defaultValue = "127.0.0.1:9092") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.loop = new SchedulerLoop(new SchedulerSettings(bootstrapServers, config.instance(), config.policy(),
                config.liveness(), config.retryEvery(), config.maxHold()), policy, otel);
        this.thread = new Thread(loop, "un0-scheduler");
    }

    void start(@Observes StartupEvent e) {
        thread.start();
    }

    void stop(@Observes ShutdownEvent e) throws InterruptedException {
        loop.close();
        thread.join(10_000);
    }

    /** Routing jobs: the broker was reached, the fleet read, and the loop has not stopped. */
    public boolean routing() {
        return loop.routing();
    }

    /** Why the loop stopped on its own, if it did: it does not restart, the process should. */
    public Optional<Throwable> failure() {
        return loop.failure();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }
}
