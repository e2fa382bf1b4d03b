package io.un0.worker.app;

import io.un0.vocabulary.CpuEnergyModel;
import io.un0.kafka.KafkaAccess;
import io.un0.vocabulary.GridIntensity;
import io.un0.vocabulary.Precision;
import io.un0.worker.WorkerSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
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

    /** @throws IllegalArgumentException naming the keys whose values do not fit together */
    public static WorkerPlan of(WorkerConfig config, KafkaAccess kafka) {
        // Each key's own range is checked by WorkerConfig's constraints; what spans keys is checked here.
        if (config.capacityImages() < config.maxBatchImages()) {
            throw new IllegalArgumentException("un0.worker.capacity-images must be at least max-batch-images ("
                    + config.maxBatchImages() + "), got " + config.capacityImages());
        }
        WorkerSettings settings = new WorkerSettings(config.id().orElseGet(WorkerPlan::hostAndPid), config.pool(), config.site(),
                config.region(), kafka, config.maxBatchImages(), config.maxWait(), config.heartbeatEvery(), config.capacityImages());
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
