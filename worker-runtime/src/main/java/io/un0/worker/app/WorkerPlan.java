package io.un0.worker.app;

import io.un0.energy.CpuEnergyModel;
import io.un0.vocabulary.GridIntensity;
import io.un0.vocabulary.Precision;
import io.un0.worker.WorkerSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the configuration asks of a worker, checked: the loop's settings, the precisions it serves, the threads of
 * each session and how its energy is modelled. A pure function of the configuration, so it is tested without Quarkus.
 */
public record WorkerPlan(WorkerSettings settings, List<Precision> precisions, int intraOpThreads, CpuEnergyModel energyModel,
                         GridIntensity grid) {

    public WorkerPlan {
        precisions = List.copyOf(precisions);
    }

    /** @throws IllegalArgumentException naming every key that is out of range, with its value */
    public static WorkerPlan of(WorkerConfig config, String bootstrapServers) {
        List<String> problems = new ArrayList<>();
        if (config.precisions().isEmpty()) {
            problems.add("precisions is empty (choose from fp32, int8)");
        }
        if (config.maxBatchImages() < 1) {
            problems.add("max-batch-images must be at least 1, got " + config.maxBatchImages());
        }
        if (config.maxWait().isNegative()) {
            problems.add("max-wait must not be negative, got " + config.maxWait());
        }
        if (config.heartbeatEvery().isZero() || config.heartbeatEvery().isNegative()) {
            problems.add("heartbeat-every must be positive, got " + config.heartbeatEvery());
        }
        if (config.capacityImages() < config.maxBatchImages()) {
            problems.add("capacity-images must be at least max-batch-images, got " + config.capacityImages());
        }
        if (config.intraOpThreads() < 1) {
            problems.add("intra-op-threads must be at least 1, got " + config.intraOpThreads());
        }
        if (!(config.wattsPerBusyCore() >= 0)) {
            problems.add("watts-per-busy-core must be 0 or more, got " + config.wattsPerBusyCore());
        }
        if (!(config.gridIntensityGPerKwh() >= 0)) {
            problems.add("grid-intensity-g-per-kwh must be 0 or more, got " + config.gridIntensityGPerKwh());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("un0.worker: " + String.join("; ", problems));
        }
        WorkerSettings settings = new WorkerSettings(config.id().orElseGet(WorkerPlan::hostAndPid), config.pool(), config.site(),
                config.region(), bootstrapServers, config.maxBatchImages(), config.maxWait(), config.heartbeatEvery(), config.capacityImages());
        return new WorkerPlan(settings, config.precisions().stream().distinct().toList(), config.intraOpThreads(), energyModel(config.wattsPerBusyCore()),
                GridIntensity.of(config.gridIntensityGPerKwh(), config.gridIntensitySource()));
    }

    private static CpuEnergyModel energyModel(double wattsPerBusyCore) {
        return wattsPerBusyCore == CpuEnergyModel.DEFAULT_WATTS_PER_CORE
                ? CpuEnergyModel.declared(wattsPerBusyCore)
                : new CpuEnergyModel(wattsPerBusyCore, "declared in un0.worker.watts-per-busy-core");
    }

    /** Unique per process on a host, and readable in heartbeats: {@code host-1234}. */
    static String hostAndPid() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // A host without a resolvable name still has a process id; the name is only for people reading heartbeats.
            host = "worker";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
