package io.un0.scheduler.testing;

import io.opentelemetry.api.OpenTelemetry;
import io.un0.kafka.KafkaAccess;
import io.un0.routing.PowerBudgets;
import io.un0.routing.Rate;
import io.un0.routing.RoutingPolicy;
import io.un0.scheduler.loop.SchedulerLoop;
import io.un0.scheduler.loop.SchedulerSettings;
import io.un0.scheduler.mapping.DeclaredHardware;
import io.un0.vocabulary.DeviceClass;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static io.un0.vocabulary.Precision.FP32;
import static io.un0.vocabulary.Precision.INT8;

/** A scheduler loop on its own thread, as the app runs it, against a test's broker. */
public record RunningScheduler(SchedulerLoop loop, Thread thread) implements AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /**
     * The same figures for every device class, so that only what a test puts in heartbeats and grid signals tells pools
     * apart: int8 100 evals/s at 0.1 J, fp32 50 evals/s at 0.3 J, 1 W idle, no embodied emissions.
     */
    public static final Map<DeviceClass, DeclaredHardware> HARDWARE = Arrays.stream(DeviceClass.values()).collect(Collectors.toMap(
            Function.identity(), c -> new DeclaredHardware(1, Map.of(INT8, new Rate(100, 0.1), FP32, new Rate(50, 0.3)), 0)));

    /**
     * Held jobs retried every 100 ms; grid signals stale after a minute; the mesh's energy shared over a minute. Each
     * scheduler a name of its own, as running instances have: its transactions are its own.
     */
    public static SchedulerSettings settings(String bootstrapServers, String policy, Duration liveness, Duration maxHold) {
        return new SchedulerSettings(KafkaAccess.plain(bootstrapServers), "scheduler-test-" + INSTANCES.incrementAndGet(), policy, liveness, Duration.ofMillis(100), maxHold, HARDWARE,
                Duration.ofMinutes(1), Duration.ofSeconds(60), 1000);
    }

    /** Started, and routing: the fleet and grid read, jobs subscribed. */
    public static RunningScheduler start(SchedulerSettings settings, RoutingPolicy policy, Supplier<PowerBudgets> budgets, OpenTelemetry otel) {
        return start(new SchedulerLoop(settings, policy, budgets, otel), settings.instance());
    }

    /** A loop made by the test (on a clock of its own, say), started and routing. */
    public static RunningScheduler start(SchedulerLoop loop, String name) {
        RunningScheduler running = new RunningScheduler(loop, new Thread(loop, name));
        running.thread().start();
        Eventually.within(Duration.ofSeconds(20), loop::routing, () -> "the loop did not start routing: " + loop.failure());
        return running;
    }

    @Override
    public void close() throws InterruptedException {
        loop.close();
        thread.join(10_000);
    }
}
