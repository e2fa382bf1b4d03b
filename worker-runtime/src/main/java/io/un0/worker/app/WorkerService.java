package io.un0.worker.app;

import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.un0.energy.PowerMeter;
import io.un0.energy.ProcessEnergyReporter;
import io.un0.engine.EngineOptions;
import io.un0.engine.ExecutionProvider;
import io.un0.engine.Un0Engine;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.KafkaConfig;
import io.un0.model.ModelPackage;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.mesh.v1.ProcessRole;
import io.un0.vocabulary.Precision;
import io.un0.worker.WorkerLoop;
import io.un0.worker.WorkerSettings;
import io.un0.worker.power.PowerMeters;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one {@link WorkerLoop} for the life of the app: at start it opens an engine per served precision on the
 * device the app's {@link DeviceSetup} chose (a refusal there stops the app from starting) and starts the loop on
 * its own thread; at shutdown it stops the loop after the batch in hand and closes the engines.
 */
@Singleton
public class WorkerService {

    private static final System.Logger LOG = System.getLogger(WorkerService.class.getName());
    /** Long enough for a full batch to finish and be committed; what is not committed is redelivered anyway. */
    private static final long STOP_WAIT_MS = 30_000;

    private final WorkerConfig config;
    private final KafkaAccess kafka;
    private final DeviceSetup device;
    private final OpenTelemetry otel;

    private volatile WorkerSettings settings;
    private volatile Collection<Un0Engine> engines = List.of();
    private volatile WorkerLoop loop;
    private volatile ProcessEnergyReporter energy;
    private volatile Thread thread;
    private volatile Throwable failure;
    private volatile boolean stopping;

    WorkerService(WorkerConfig config, KafkaConfig kafkaConfig,
                  DeviceSetup device, OpenTelemetry otel) {
        this.config = config;
        this.kafka = kafkaConfig.access();
        this.device = device;
        this.otel = otel;
    }

    void start(@Observes StartupEvent event) {
        WorkerPlan plan = WorkerPlan.of(config, kafka);
        EngineOptions options = device.engineOptions(plan.intraOpThreads());
        // After the device is chosen: a GPU worker that fell back to the CPU meters the CPU.
        PowerMeter meter = PowerMeters.choose(config.power().meter(), device.nvmlDevice(), Path.of(config.power().powercap()),
                Path.of("/proc/stat"), plan.energyModel());
        Map<io.un0.proto.v1.Precision, Un0Engine> opened = new EnumMap<>(io.un0.proto.v1.Precision.class);
        try {
            for (Precision p : plan.precisions()) {
                opened.put(ProtoVocabulary.toProto(p), Un0Engine.open(ModelPackage.bundled(ModelPackage.generator(p)), options));
            }
            loop = new WorkerLoop(plan.settings(), opened, meter, plan.grid(), otel);
        } catch (RuntimeException e) {
            opened.values().forEach(Un0Engine::close);
            throw e;
        }
        settings = plan.settings();
        engines = List.copyOf(opened.values());
        thread = new Thread(loop, "un0-worker-" + settings.worker());
        // Daemon, so that a loop stuck in a batch cannot keep a stopping process alive; shutdown still waits for it.
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> {
            failure = e;
            LOG.log(System.Logger.Level.ERROR, String.format("worker %s: the loop stopped and takes no more assignments of pool %s", settings.worker(), settings.pool()), e);
        });
        thread.start();
        WorkerLoop served = loop;
        energy = ProcessEnergyReporter.start(kafka, ProcessRole.PROCESS_ROLE_WORKER, settings.worker(), settings.region(), meter,
                served::served, config.power().reportEvery());
        ExecutionProvider provider = provider().orElseThrow();
        LOG.log(System.Logger.Level.INFO, () -> String.format("worker %s of pool %s (site %s, region %s) serves %s on %s (device class %s) from Kafka at %s; energy %s",
                settings.worker(), settings.pool(), settings.site(), settings.region(), plan.precisions(), provider,
                provider.deviceClass(), kafka.bootstrapServers(), meter.describe()));
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (thread == null) {
            return;
        }
        stopping = true;
        loop.close();
        thread.join(STOP_WAIT_MS);
        energy.close();
        if (thread.isAlive()) {
            // Closing a session that a batch is still running on could crash the process: leave the engines to its exit.
            LOG.log(System.Logger.Level.WARNING, () -> String.format("worker %s: the loop did not stop within %d ms; its uncommitted assignments will be redelivered",
                    settings.worker(), STOP_WAIT_MS));
            return;
        }
        engines.forEach(Un0Engine::close);
    }

    /** Whether the loop is taking assignments. */
    public boolean running() {
        return thread != null && thread.isAlive();
    }

    /** Why the loop ended, when it ended on its own rather than at shutdown. */
    public Optional<Throwable> failure() {
        return stopping ? Optional.empty() : Optional.ofNullable(failure);
    }

    /** Empty before start. */
    public Optional<WorkerSettings> settings() {
        return Optional.ofNullable(settings);
    }

    /** The provider the engines run on, as heartbeats report it; every engine of a worker is opened with the same options. */
    public Optional<ExecutionProvider> provider() {
        return engines.stream().findFirst().map(Un0Engine::provider);
    }
}
