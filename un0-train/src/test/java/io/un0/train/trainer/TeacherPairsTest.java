package io.un0.train.trainer;

import io.un0.data.FashionMnist;
import io.un0.engine.EngineOptions;
import io.un0.engine.Solver;
import io.un0.engine.Un0Engine;
import io.un0.model.ModelPackage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TeacherPairsTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** Pair j is exactly the teacher's image from seed + j, and its noise is the noise the engine drew for it. */
    @Test
    void eachPairIsTheTeachersImageFromTheNoiseItReturns(@TempDir Path dir) throws Exception {
        TeacherPairs.Spec spec = new TeacherPairs.Spec("un0-fmnist-fp32", "euler", 2, 13, 500);
        try (Un0Engine teacher = Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_FP32), EngineOptions.cpu(1))) {
            TeacherPairs pairs = TeacherPairs.loadOrMake(dir, spec, teacher, QUIET);
            int px = FashionMnist.PIXELS;
            for (int j : new int[] {0, 7, 12}) {
                float[] x0 = new float[2 * px];
                float[] x1 = new float[2 * px];
                pairs.copy(j, x0, x1, px);
                float[] noise = new float[px];
                Un0Engine.noise(500 + j, noise, 0, px);
                assertArrayEquals(noise, java.util.Arrays.copyOfRange(x0, px, 2 * px));
                float[] grey = teacher.generate(new int[] {j % 10}, new long[] {500 + j}, 2, Solver.EULER).get(0).pixels();
                for (int p = 0; p < px; p++) {
                    assertEquals(2 * grey[p] - 1, x1[px + p], 1e-6f);
                }
                assertEquals(j % 10, pairs.label(j));
            }
            // Saved: the same spec is read back, another is refused.
            TeacherPairs again = TeacherPairs.loadOrMake(dir, spec, teacher, QUIET);
            float[] a = new float[px];
            float[] b = new float[px];
            pairs.copy(12, new float[px], a, 0);
            again.copy(12, new float[px], b, 0);
            assertArrayEquals(a, b);
            assertThrows(IllegalArgumentException.class, () -> TeacherPairs.loadOrMake(dir,
                    new TeacherPairs.Spec("un0-fmnist-fp32", "euler", 4, 13, 500), teacher, QUIET));
        }
        assertThrows(IllegalArgumentException.class, () -> new TeacherPairs.Spec("t", "rk4", 2, 1, 0));
    }
}
