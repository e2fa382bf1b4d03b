package io.un0.engine;

import io.un0.model.ModelPackage;
import io.un0.model.ModelPackageException;
import io.un0.vocabulary.DeviceClass;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutionProviderTest {

    @Test
    void parsesAnOrderedListCaseInsensitively() {
        assertEquals(List.of(ExecutionProvider.CUDA, ExecutionProvider.OPENVINO, ExecutionProvider.CPU),
                ExecutionProvider.parseList("cuda, OpenVINO,cpu,cuda"));
    }

    @Test
    void unknownProviderIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecutionProvider.parseList("cpu,tpu"));
        assertTrue(e.getMessage().contains("'tpu'") && e.getMessage().contains("CUDA"), e.getMessage());
    }

    @Test
    void fallsBackToTheNextProviderAndReportsTheOneUsed() {
        // The CPU build of ONNX Runtime has neither CUDA nor an NPU provider: the engine must land on CPU.
        EngineOptions options = new EngineOptions(List.of(ExecutionProvider.CUDA, ExecutionProvider.QNN, ExecutionProvider.CPU), 1);
        try (Un0Engine engine = Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_FP32), options)) {
            assertEquals(ExecutionProvider.CPU, engine.provider());
            assertEquals(DeviceClass.CPU, engine.provider().deviceClass());
        }
    }

    @Test
    void noUsableProviderIsAPreciseError() {
        EngineOptions options = new EngineOptions(List.of(ExecutionProvider.CUDA), 1);
        ModelPackageException e = assertThrows(ModelPackageException.class,
                () -> Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_FP32), options));
        assertTrue(e.getMessage().contains("CUDA (not in this ONNX Runtime build"), e.getMessage());
    }
}
