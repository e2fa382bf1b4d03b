package io.un0.train.onnx;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.un0.train.djl.DjlOps;
import io.un0.train.djl.DjlParameters;
import io.un0.train.djl.TrainingEngine;
import io.un0.train.net.JudgeNet;
import io.un0.train.net.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PackageWriterTest {

    @Test
    void refusesToWriteAPackageFromNonFiniteWeights(@TempDir Path dir) {
        JudgeNet net = JudgeNet.standard();
        Map<String, HostTensor> weights;
        try (NDManager m = TrainingEngine.newManager(); DjlParameters p = new DjlParameters(m, 5, false)) {
            DjlOps ops = new DjlOps(p, m);
            net.logits(ops, net.features(ops, m.zeros(new Shape(1, 1, 28, 28))));
            weights = p.toHost();
        }
        weights.get("conv3.weight").data()[17] = Float.NaN;
        weights.get("conv3.weight").data()[40] = Float.NEGATIVE_INFINITY;
        Path pkg = dir.resolve("classifier");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PackageWriter.writeJudge(pkg, "c", net, weights, Map.of(), Map.of()));
        assertEquals("refusing to write " + pkg + ": weight 'conv3.weight' holds 2 non-finite values of 36,864 (the first at index 17)",
                e.getMessage());
        assertFalse(Files.exists(pkg));
    }
}
