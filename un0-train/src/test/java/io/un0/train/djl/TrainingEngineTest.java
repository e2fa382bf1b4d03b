package io.un0.train.djl;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;

class TrainingEngineTest {

    @Test
    void everyManagerRunsWithoutOneDnn() {
        try (NDManager ignored = TrainingEngine.newManager()) {
            assertFalse(TrainingEngine.oneDnnEnabled(), "oneDNN must be off: its kernels broke training on AMD Zen 5");
        }
    }
}
