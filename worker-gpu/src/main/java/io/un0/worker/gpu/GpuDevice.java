package io.un0.worker.gpu;

import io.un0.engine.EngineOptions;
import io.un0.engine.ExecutionProvider;
import io.un0.model.ModelPackage;
import io.un0.worker.app.DeviceSetup;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.OptionalInt;

/**
 * The GPU worker runs on CUDA only: a GPU pool that quietly served from the CPU would be routed GPU-sized work. With
 * no usable GPU it refuses to start, unless told to fall back to the CPU, which it then says in its log and, through
 * the engine's provider, in every heartbeat and result. On CUDA it names its GPU to NVML, so that energy is metered there.
 */
@Singleton
public class GpuDevice implements DeviceSetup {

    private static final System.Logger LOG = System.getLogger(GpuDevice.class.getName());
    static final String FALLBACK_HINT = "set un0.worker.gpu.fallback-to-cpu=true to run on the CPU instead";

    private final GpuConfig config;
    private volatile OptionalInt nvmlDevice = OptionalInt.empty();

    GpuDevice(GpuConfig config) {
        this.config = config;
    }

    @Override
    public EngineOptions engineOptions(int intraOpThreads) {
        CudaCheck check = CudaCheck.attempt(ModelPackage.bundled(ModelPackage.GENERATOR_FP32));
        EngineOptions options = decide(check, config.fallbackToCpu(), intraOpThreads);
        if (check.usable()) {
            LOG.log(System.Logger.Level.INFO, () -> String.format("GPU found: %s", check.findings()));
            nvmlDevice = nvmlIndex(System.getenv("CUDA_VISIBLE_DEVICES"));
        } else {
            LOG.log(System.Logger.Level.WARNING, () -> String.format("no usable GPU: %s; un0.worker.gpu.fallback-to-cpu=true, so this worker runs on the CPU and reports CPU as its"
                    + " execution provider and device class", check.findings()));
        }
        return options;
    }

    @Override
    public OptionalInt nvmlDevice() {
        return nvmlDevice;
    }

    /**
     * NVML's index of the GPU that is CUDA device {@value CudaCheck#DEVICE}: the first that CUDA_VISIBLE_DEVICES lists,
     * or NVML's first where it is unset. NVML counts in PCI order, as CUDA does on a machine with one GPU model or with
     * CUDA_DEVICE_ORDER=PCI_BUS_ID (the meter's description names the UUID, to check against nvidia-smi). Empty, with a
     * warning, where CUDA_VISIBLE_DEVICES names the GPU by UUID rather than by index.
     */
    static OptionalInt nvmlIndex(String cudaVisibleDevices) {
        if (cudaVisibleDevices == null || cudaVisibleDevices.isBlank()) {
            return OptionalInt.of(CudaCheck.DEVICE);
        }
        String first = cudaVisibleDevices.split(",")[0].trim();
        if (first.matches("\\d{1,4}")) {
            return OptionalInt.of(Integer.parseInt(first));
        }
        LOG.log(System.Logger.Level.WARNING, () -> String.format("CUDA_VISIBLE_DEVICES=%s names CUDA device %d as %s, not by index, so this worker cannot name it to NVML:"
                + " un0.worker.power.meter=auto meters the CPU instead", cudaVisibleDevices, CudaCheck.DEVICE, first));
        return OptionalInt.empty();
    }

    /** @throws IllegalStateException naming what was checked and how to run without a GPU */
    static EngineOptions decide(CudaCheck check, boolean fallbackToCpu, int intraOpThreads) {
        if (check.usable()) {
            // CUDA alone: the engine must fail rather than fall back to the CPU behind the operator's back.
            return new EngineOptions(List.of(ExecutionProvider.CUDA), intraOpThreads);
        }
        if (!fallbackToCpu) {
            throw new IllegalStateException("worker-gpu cannot start without a usable GPU: " + check.findings() + ". Make CUDA device "
                    + CudaCheck.DEVICE + " usable, or " + FALLBACK_HINT);
        }
        return EngineOptions.cpu(intraOpThreads);
    }
}
