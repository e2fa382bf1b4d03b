package io.un0.worker.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.un0.vocabulary.CpuEnergyModel;
import io.un0.vocabulary.Precision;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * A worker's configuration, the same keys in every worker app; the app sets its pool's default. The constraints are
 * checked at start (Hibernate Validator), each key out of range named; {@link WorkerPlan} adds the checks across keys.
 */
@ConfigMapping(prefix = "un0.worker")
public interface WorkerConfig {

    /** Unique in the mesh: heartbeats are keyed by it. Default: host name and process id. */
    Optional<String> id();

    /** The pool whose two assignment lanes this worker consumes; every worker of a pool shares its assignments. */
    String pool();

    /** Where the worker runs, as routing sees it (carbon intensity and data residency are per site and region). */
    String site();

    String region();

    /** Model precisions served; each is a bundled model package opened at start. */
    @WithDefault("fp32,int8")
    @Size(min = 1)
    List<Precision> precisions();

    @WithDefault("32")
    @Min(1)
    int maxBatchImages();

    /** How long the first assignment of a batch may wait for company. */
    @WithDefault("2ms")
    @DurationMin(nanos = 0)
    Duration maxWait();

    @WithDefault("500ms")
    @DurationMin(nanos = 0, inclusive = false)
    Duration heartbeatEvery();

    /** Images this worker offers to hold at once, at the least (at least max-batch-images); see {@code WorkerSettings.offeredCapacity}. */
    @WithDefault("512")
    @Min(1)
    int capacityImages();

    /** Threads inside each ONNX Runtime session. */
    @WithDefault("1")
    @Min(1)
    int intraOpThreads();

    /** How energy is metered. */
    Power power();

    /** Where a worker's joules come from. */
    interface Power {

        /**
         * {@code auto}: NVML for the GPU the engines run on (the GPU worker on CUDA), else RAPL where readable, else
         * the declared model; {@code nvml}: NVML for that GPU or refuse to start; {@code rapl}: RAPL or refuse to
         * start; {@code model}: the declared model.
         */
        @WithDefault("auto")
        String meter();

        /** The Linux powercap folder holding the RAPL domains. */
        @WithDefault("/sys/class/powercap")
        String powercap();

        /** How often the worker says what its process has drawn and served (un0.process-energy.v1). */
        @WithDefault("2s")
        @DurationMin(millis = 100)
        Duration reportEvery();
    }

    /** Modelled energy: watts drawn per busy core, where no meter (RAPL, NVML) can be read. */
    @WithDefault("" + CpuEnergyModel.DEFAULT_WATTS_PER_CORE)
    @PositiveOrZero
    double wattsPerBusyCore();

    /** The grid's carbon intensity where the worker runs, in gCO2e per kWh, until live signals replace it. */
    @PositiveOrZero
    double gridIntensityGPerKwh();

    /** Where that figure comes from, as results will name it. */
    @WithDefault("declared in un0.worker.grid-intensity-g-per-kwh")
    String gridIntensitySource();
}
