package io.un0.worker.edge;

import io.un0.engine.ExecutionProvider;
import io.un0.engine.Un0Engine;
import io.un0.model.ModelPackage;
import io.un0.vocabulary.DeviceClass;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EdgeDeviceTest {

    @Test
    void theCpuIsAlwaysTheLastResort() {
        assertEquals(List.of(ExecutionProvider.CPU), EdgeDevice.options("cpu", 1).providers());
        assertEquals(List.of(ExecutionProvider.OPENVINO, ExecutionProvider.CPU), EdgeDevice.options("openvino", 1).providers());
        assertEquals(List.of(ExecutionProvider.QNN, ExecutionProvider.CPU, ExecutionProvider.NNAPI),
                EdgeDevice.options("qnn,cpu,nnapi", 2).providers());
    }

    @Test
    void aGpuProviderIsRefusedWithWhereToRunIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EdgeDevice.options("cuda,cpu", 1));
        assertEquals("un0.worker.edge.provider: [CUDA] runs on a GPU; the edge worker runs cpu or an NPU provider"
                + " (openvino, qnn, coreml, nnapi): run worker-gpu for CUDA", e.getMessage());
    }

    /** ONNX Runtime's CPU build has no OpenVINO: the engine falls back to the CPU and says so in its device class. */
    @Test
    void anNpuThatIsNotHereLeavesTheWorkerOnTheCpu() {
        try (Un0Engine engine = Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_FP32), EdgeDevice.options("openvino", 1))) {
            assertEquals(ExecutionProvider.CPU, engine.provider());
            assertEquals(DeviceClass.CPU, engine.provider().deviceClass());
        }
    }
}
