package io.un0.worker.edge;

import io.un0.engine.EngineOptions;
import io.un0.engine.ExecutionProvider;
import io.un0.vocabulary.DeviceClass;
import io.un0.worker.app.DeviceSetup;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge worker runs on an NPU when one of the configured NPU providers works here, else on the CPU. The engine
 * logs each provider it passes over and reports the one it uses, so heartbeats say NPU only when an NPU runs.
 */
@Singleton
public class EdgeDevice implements DeviceSetup {

    private final EdgeConfig config;

    EdgeDevice(EdgeConfig config) {
        this.config = config;
    }

    @Override
    public EngineOptions engineOptions(int intraOpThreads) {
        return options(config.provider(), intraOpThreads);
    }

    /** @throws IllegalArgumentException for a provider that is neither the CPU nor an NPU */
    static EngineOptions options(String providerList, int intraOpThreads) {
        List<ExecutionProvider> providers = new ArrayList<>(ExecutionProvider.parseList(providerList));
        List<ExecutionProvider> foreign = providers.stream().filter(p -> p.deviceClass() == DeviceClass.GPU).toList();
        if (!foreign.isEmpty()) {
            throw new IllegalArgumentException("un0.worker.edge.provider: " + foreign + " runs on a GPU; the edge worker runs cpu or an NPU"
                    + " provider (openvino, qnn, coreml, nnapi): run worker-gpu for CUDA");
        }
        // Every edge host has its CPU: an NPU that is absent or refuses the model must not keep the worker down.
        if (!providers.contains(ExecutionProvider.CPU)) {
            providers.add(ExecutionProvider.CPU);
        }
        return new EngineOptions(providers, intraOpThreads);
    }
}
