package io.un0.worker.gpu;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.un0.engine.EngineOptions;
import io.un0.engine.ExecutionProvider;
import io.un0.engine.Un0Engine;
import io.un0.model.ModelPackage;
import io.un0.vocabulary.DeviceClass;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class GpuDeviceTest {

    private static final CudaCheck NO_CUDA = new CudaCheck(false, "loading its CUDA provider failed");

    @Test
    void aUsableGpuIsTheOnlyProvider() {
        EngineOptions options = GpuDevice.decide(new CudaCheck(true, "a session opened on CUDA device 0"), false, 1);
        assertEquals(List.of(ExecutionProvider.CUDA), options.providers());
    }

    @Test
    void withoutAGpuItRefusesToStartAndSaysWhatWasChecked() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GpuDevice.decide(NO_CUDA, false, 1));
        assertEquals("worker-gpu cannot start without a usable GPU: loading its CUDA provider failed. Make CUDA device 0 usable,"
                + " or set un0.worker.gpu.fallback-to-cpu=true to run on the CPU instead", e.getMessage());
    }

    /** The fallback runs the GPU build of ONNX Runtime on its CPU provider, and the engine reports CPU for heartbeats. */
    @Test
    void withFallbackItServesFromTheCpu() {
        EngineOptions options = GpuDevice.decide(NO_CUDA, true, 1);
        assertEquals(List.of(ExecutionProvider.CPU), options.providers());
        try (Un0Engine engine = Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_FP32), options)) {
            assertEquals(ExecutionProvider.CPU, engine.provider());
            assertEquals(DeviceClass.CPU, engine.provider().deviceClass());
            assertEquals(1, engine.generate(new int[] {3}, new long[] {42}, 1).size());
        }
    }

    /** The real check on a machine without a GPU, as at start; skipped where a GPU is usable. */
    @Test
    void onAMachineWithoutAGpuTheRealCheckRefusesUnlessFallingBack() {
        assertTrue(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "the app must carry ONNX Runtime's GPU build, which has " + OrtEnvironment.getAvailableProviders());
        CudaCheck check = CudaCheck.attempt(ModelPackage.bundled(ModelPackage.GENERATOR_FP32));
        assumeFalse(check.usable(), "a GPU is usable here: " + check.findings());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new GpuDevice(() -> false).engineOptions(1));
        assertTrue(e.getMessage().startsWith("worker-gpu cannot start without a usable GPU: ONNX Runtime "), e.getMessage());
        assertTrue(e.getMessage().contains("CUDA") && e.getMessage().endsWith(GpuDevice.FALLBACK_HINT), e.getMessage());
        GpuDevice fallenBack = new GpuDevice(() -> true);
        assertEquals(List.of(ExecutionProvider.CPU), fallenBack.engineOptions(1).providers());
        assertEquals(OptionalInt.empty(), fallenBack.nvmlDevice(), "on the CPU there is no GPU to meter");
    }

    @Test
    void nvmlMetersTheFirstGpuThatCudaVisibleDevicesListsByIndex() {
        assertEquals(OptionalInt.of(0), GpuDevice.nvmlIndex(null));
        assertEquals(OptionalInt.of(0), GpuDevice.nvmlIndex(" "));
        assertEquals(OptionalInt.of(2), GpuDevice.nvmlIndex(" 2,0"));
        assertEquals(OptionalInt.empty(), GpuDevice.nvmlIndex("GPU-5e2d9a8c-0000-4000-8000-000000000001"));
        assertEquals(OptionalInt.empty(), GpuDevice.nvmlIndex("MIG-5e2d9a8c-0000-4000-8000-000000000001"));
    }
}
