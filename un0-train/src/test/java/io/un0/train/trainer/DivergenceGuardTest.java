package io.un0.train.trainer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.un0.train.djl.DjlOps;
import io.un0.train.djl.DjlParameters;
import io.un0.train.djl.TrainingDivergedException;
import io.un0.train.djl.TrainingEngine;
import io.un0.train.net.HostTensor;
import io.un0.train.net.Un0Net;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A diverged run names its step and the op, gradient or weight where the first NaN or infinity appeared. */
class DivergenceGuardTest {

    private final Un0Net net = new Un0Net(8, 64, 10);
    private final DivergenceGuard guard = new DivergenceGuard("training");
    private NDManager manager;
    private NDArray x;
    private NDArray label;
    private NDArray t;
    private NDArray d;

    @BeforeEach
    void inputs() {
        manager = TrainingEngine.newManager();
        x = manager.randomNormal(new Shape(2, 1, 28, 28));
        label = manager.create(new float[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}, new Shape(2, 10));
        t = manager.create(new float[] {0.25f, 0.5f});
        d = manager.create(new float[] {1f, 0.5f});
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private DjlParameters parameters(boolean trainable) {
        DjlParameters p = new DjlParameters(manager, 1, trainable);
        net.forward(new DjlOps(p, manager), x, label, t, d);
        return p;
    }

    /** The parameters with one weight multiplied by {@code factor}. */
    private void scale(DjlParameters p, String name, float factor) {
        Map<String, HostTensor> weights = p.toHost();
        float[] w = weights.get(name).data();
        for (int i = 0; i < w.length; i++) {
            w[i] *= factor;
        }
        p.load(weights);
    }

    @Test
    void aFiniteLossPassesWithoutReplay() {
        assertDoesNotThrow(() -> guard.loss(3, 0.7, () -> {
            throw new AssertionError("no replay for a finite loss");
        }));
    }

    @Test
    void aDivergedLossNamesTheFirstOpWithANonFiniteOutput() {
        try (DjlParameters p = parameters(false)) {
            scale(p, "pool28.weight", Float.POSITIVE_INFINITY);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> guard.loss(4, Double.POSITIVE_INFINITY,
                    () -> net.forward(DjlOps.checkingFinite(p, manager), x, label, t, d).mean()));
            assertTrue(e.getMessage().startsWith("training diverged at step 4: loss Infinity; op conv2d 'pool28' gave "), e.getMessage());
            assertTrue(e.getMessage().endsWith(" of 9,408 values from finite inputs"), e.getMessage());
        }
    }

    @Test
    void aLossThatDoesNotReproduceIsCalledAFault() {
        try (DjlParameters p = parameters(false)) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> guard.loss(1, Double.NaN,
                    () -> net.forward(DjlOps.checkingFinite(p, manager), x, label, t, d).mean()));
            assertTrue(e.getMessage().contains("step 1: loss NaN, but the same forward pass replayed op by op stayed finite"),
                    e.getMessage());
        }
    }

    @Test
    void aLossThatOverflowsFromFiniteOutputsIsSaidToBeTheLoss() {
        try (DjlParameters p = parameters(false)) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> guard.loss(2, Double.POSITIVE_INFINITY,
                    () -> net.forward(DjlOps.checkingFinite(p, manager), x, label, t, d).mul(1e30f).square().mean()));
            assertTrue(e.getMessage().endsWith("step 2: loss Infinity; every op of the network gave finite values, the loss itself overflowed"),
                    e.getMessage());
        }
    }

    @Test
    void aNonFiniteGradientIsNamedByItsParameter() {
        try (DjlParameters p = parameters(true)) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = net.forward(new DjlOps(p, manager), x, label, t, d);
                // Only out.bias meets the NaN; every other gradient is zero.
                collector.backward(out.sum().mul(0f).add(p.arrays().get("out.bias").sum().mul(Float.NaN)));
            }
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> guard.gradients(7, p));
            assertTrue(e.getMessage().equals("training diverged at step 7: backward gave a non-finite gradient to 'out.bias'"
                    + " (1 NaN and 0 infinite of 1 values)"), e.getMessage());
        }
    }

    @Test
    void aNonFiniteWeightIsNamed() {
        try (DjlParameters p = parameters(false)) {
            guard.weights(2, p);
            scale(p, "mid7.conv2.bias", Float.NaN);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> guard.weights(2, p));
            assertTrue(e.getMessage().contains("step 2: the update left non-finite weights in 'mid7.conv2.bias' (48 NaN"),
                    e.getMessage());
        }
    }
}
