package io.un0.scheduler;

import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.un0.energy.EnergyConfig;
import io.un0.energy.ProcessEnergyReporter;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.KafkaConfig;
import io.un0.proto.mesh.v1.ProcessRole;
import io.un0.routing.Rate;
import io.un0.routing.RoutingPolicy;
import io.un0.scheduler.budget.PowerBudgetBook;
import io.un0.scheduler.grid.GridConfig;
import io.un0.scheduler.loop.SchedulerLoop;
import io.un0.scheduler.loop.SchedulerSettings;
import io.un0.scheduler.mapping.DeclaredHardware;
import io.un0.scheduler.policy.CarbonAwareConfig;
import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.Precision;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Runs the scheduler loop on its own thread from start to shutdown, and tells the health checks how it is doing. */
@Singleton
public class SchedulerService {

    private static final System.Logger LOG = System.getLogger(SchedulerService.class.getName());

    private final SchedulerLoop loop;
    private final Thread thread;
    private final KafkaAccess kafka;
    private final EnergyConfig energy;
    private final String instance;
    private final Map<DeviceClass, DeclaredHardware> hardware;
    private ProcessEnergyReporter reporter;

    SchedulerService(SchedulerConfig config, GridConfig grid, CarbonAwareConfig carbonAware, EnergyConfig energy, RoutingPolicy policy,
                     PowerBudgetBook budgets, OpenTelemetry otel, KafkaConfig kafkaConfig) {
        this.kafka = kafkaConfig.access();
        this.energy = energy;
        this.instance = config.instance();
        this.hardware = declared(config.hardware());
        this.loop = new SchedulerLoop(new SchedulerSettings(kafka, config.instance(), config.policy(),
                config.liveness(), config.retryEvery(), config.maxHold(), hardware, grid.maxAge(),
                energy.shareWindow(), carbonAware.settings().unknownGramsPerKwh()), policy, budgets::current, otel);
        this.thread = new Thread(loop, "un0-scheduler");
    }

    /** @throws IllegalArgumentException naming the key of a device class or precision that is missing or unknown */
    static Map<DeviceClass, DeclaredHardware> declared(Map<String, SchedulerConfig.Hardware> config) {
        Map<DeviceClass, DeclaredHardware> declared = new EnumMap<>(DeviceClass.class);
        for (DeviceClass c : DeviceClass.values()) {
            String key = "un0.scheduler.hardware." + c.name().toLowerCase(Locale.ROOT);
            SchedulerConfig.Hardware h = config.get(c.name().toLowerCase(Locale.ROOT));
            if (h == null) {
                throw new IllegalArgumentException(key + ".*: missing; every device class needs its declared figures");
            }
            Map<Precision, Rate> rates = new EnumMap<>(Precision.class);
            for (Precision precision : Precision.values()) {
                Double speed = h.evalsPerSecond().get(precision.configName());
                Double joules = h.joulesPerEval().get(precision.configName());
                if (speed == null || joules == null) {
                    throw new IllegalArgumentException(key + (speed == null ? ".evals-per-second." : ".joules-per-eval.") + precision + ": missing");
                }
                rates.put(precision, new Rate(speed, joules));
            }
            declared.put(c, DeclaredHardware.of(h.idleWatts(), rates, h.embodiedKg(), h.lifetimeYears()));
        }
        config.keySet().stream().filter(k -> Arrays.stream(DeviceClass.values()).noneMatch(c -> c.name().equalsIgnoreCase(k))).findFirst()
                .ifPresent(k -> {
                    throw new IllegalArgumentException("un0.scheduler.hardware." + k + ": not a device class (cpu, gpu, npu)");
                });
        return declared;
    }

    void start(@Observes StartupEvent e) {
        reporter = ProcessEnergyReporter.forService(energy, kafka, ProcessRole.PROCESS_ROLE_SCHEDULER, instance);
        LOG.log(System.Logger.Level.INFO, reporter.describe());
        thread.start();
    }

    void stop(@Observes ShutdownEvent e) throws InterruptedException {
        loop.close();
        thread.join(10_000);
        if (reporter != null) {
            reporter.close();
        }
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
        return kafka.bootstrapServers();
    }

    /** Each device class's declared figures, embodied emissions included (what a sustainability report's M is made of). */
    public Map<DeviceClass, DeclaredHardware> declaredHardware() {
        return hardware;
    }

    /** The running loop, for the Fleet service's views of pools, workers and grid signals. */
    public SchedulerLoop loop() {
        return loop;
    }
}
