package io.un0.engine;

import io.un0.model.ModelPackage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped packages through the engine: determinism, precisions, and every bad request. */
class Un0EngineTest {

    private static Un0Engine fp32;
    private static Un0Engine int8;

    @BeforeAll
    static void open() {
        fp32 = Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_FP32), EngineOptions.cpu(1));
        int8 = Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_INT8), EngineOptions.cpu(1));
    }

    @AfterAll
    static void close() {
        fp32.close();
        int8.close();
    }

    @Test
    void aSeedReproducesTheSameImageWhateverItIsBatchedWith() {
        GeneratedImage alone = fp32.generate(new int[] {7}, new long[] {99}, 1).get(0);
        List<GeneratedImage> batch = fp32.generate(new int[] {3, 7, 1}, new long[] {5, 99, 6}, 1);
        assertArrayEquals(alone.pixels(), batch.get(1).pixels(), 1e-5f);
        GeneratedImage other = fp32.generate(new int[] {7}, new long[] {100}, 1).get(0);
        assertTrue(meanAbsDifference(alone.pixels(), other.pixels()) > 0.01, "another seed gives another image");
    }

    @Test
    void imagesHaveTheManifestSizeAndRange() {
        for (int steps : List.of(1, 2, 8)) {
            GeneratedImage image = fp32.generate(new int[] {0}, new long[] {1}, steps).get(0);
            assertEquals(28 * 28, image.pixels().length);
            assertEquals(steps, image.steps());
            for (float p : image.pixels()) {
                assertTrue(p >= 0f && p <= 1f);
            }
        }
    }

    @Test
    void int8StaysCloseToFp32() {
        int n = 32;
        int[] labels = new int[n];
        long[] seeds = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            seeds[i] = 1000 + i;
        }
        List<GeneratedImage> a = fp32.generate(labels, seeds, 1);
        List<GeneratedImage> b = int8.generate(labels, seeds, 1);
        double diff = 0;
        for (int i = 0; i < n; i++) {
            diff += meanAbsDifference(a.get(i).pixels(), b.get(i).pixels()) / n;
        }
        assertTrue(diff < 0.05, "int8 images differ from fp32 by " + diff + " grey levels on average (of 1)");
    }

    @Test
    void classesResolveByNameOrIndex() {
        assertEquals(7, fp32.classIndex("Sneaker"));
        assertEquals(9, fp32.classIndex("ankle-boot"));
        assertEquals(3, fp32.classIndex("3"));
    }

    @Test
    void unknownClassNamesTheFieldAndTheKnownClasses() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> fp32.classIndex("unicorn"));
        assertEquals("class", e.field());
        assertTrue(e.getMessage().contains("sneaker"), e.getMessage());
        assertEquals("class", assertThrows(InvalidRequestException.class, () -> fp32.classIndex("10")).field());
        assertEquals("labels", assertThrows(InvalidRequestException.class,
                () -> fp32.generate(new int[] {-1}, new long[] {1}, 1)).field());
    }

    @Test
    void unsupportedStepCountListsTheSupportedOnes() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> fp32.generate(new int[] {1}, new long[] {1}, 3));
        assertEquals("steps", e.field());
        assertTrue(e.getMessage().contains("[1, 2, 4, 8, 16, 32, 64, 128]"), e.getMessage());
        assertEquals("steps", assertThrows(InvalidRequestException.class, () -> fp32.generate(new int[] {1}, new long[] {1}, 0)).field());
    }

    @Test
    void batchOverTheLimitIsRefusedBeforeAnyWork() {
        int over = fp32.manifest().maxBatch() + 1;
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> fp32.generate(new int[over], new long[over], 1));
        assertEquals("labels", e.field());
        assertTrue(e.getMessage().contains("over the limit of " + fp32.manifest().maxBatch()), e.getMessage());
    }

    @Test
    void heunIsRefusedForANetworkThatPredictsTheAverageVelocity() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> fp32.generate(new int[] {1}, new long[] {1}, 2, Solver.HEUN));
        assertEquals("solver", e.field());
        assertTrue(e.getMessage().contains("average velocity"), e.getMessage());
        assertEquals("solver", assertThrows(InvalidRequestException.class, () -> Solver.parse("rk4")).field());
        assertEquals(Solver.HEUN, Solver.parse("heun"));
        assertEquals(15, Solver.HEUN.evaluations(8));
        assertEquals(1, Solver.HEUN.evaluations(1));
        assertEquals(8, Solver.EULER.evaluations(8));
    }

    /** The shipped weights relabelled as an instantaneous-velocity network: the engine feeds d = 0, Heun and any K may run. */
    @Test
    void heunStepsAreReproducibleBatchIndependentAndNotEulersAndAnyStepCountRuns(@TempDir Path dir) throws IOException {
        ModelPackage shipped = ModelPackage.bundled(ModelPackage.GENERATOR_FP32);
        String manifest = new String(ModelPackage.class.getResourceAsStream("/un0/packages/" + ModelPackage.GENERATOR_FP32 + "/"
                + ModelPackage.MANIFEST_FILE).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(manifest.contains("\"velocity\" : \"average\""), "the shipped manifest names its velocity");
        Files.writeString(dir.resolve(ModelPackage.MANIFEST_FILE), manifest.replace("\"velocity\" : \"average\"", "\"velocity\" : \"instantaneous\""));
        Files.write(dir.resolve(ModelPackage.MODEL_FILE), shipped.model());
        try (Un0Engine instantaneous = Un0Engine.open(ModelPackage.load(dir), EngineOptions.cpu(1))) {
            GeneratedImage alone = instantaneous.generate(new int[] {7}, new long[] {99}, 2, Solver.HEUN).get(0);
            List<GeneratedImage> batch = instantaneous.generate(new int[] {3, 7}, new long[] {5, 99}, 2, Solver.HEUN);
            assertArrayEquals(alone.pixels(), batch.get(1).pixels(), 1e-5f);
            assertArrayEquals(alone.pixels(), instantaneous.generate(new int[] {7}, new long[] {99}, 2, Solver.HEUN).get(0).pixels(), 1e-6f);
            GeneratedImage euler = instantaneous.generate(new int[] {7}, new long[] {99}, 2, Solver.EULER).get(0);
            assertTrue(meanAbsDifference(alone.pixels(), euler.pixels()) > 1e-3, "Heun corrects Euler's steps");
            // The last step, onto the image, is Euler's: one Heun step is one Euler step.
            assertArrayEquals(instantaneous.generate(new int[] {7}, new long[] {99}, 1, Solver.EULER).get(0).pixels(),
                    instantaneous.generate(new int[] {7}, new long[] {99}, 1, Solver.HEUN).get(0).pixels(), 1e-6f);
            for (float p : alone.pixels()) {
                assertTrue(p >= 0f && p <= 1f);
            }
            // Any step count up to the largest trained one: the network is never told the step size.
            assertEquals(3, instantaneous.generate(new int[] {7}, new long[] {99}, 3, Solver.HEUN).get(0).steps());
            InvalidRequestException over = assertThrows(InvalidRequestException.class,
                    () -> instantaneous.generate(new int[] {7}, new long[] {99}, 129, Solver.EULER));
            assertEquals("steps", over.field());
            assertTrue(over.getMessage().contains("any count from 1 to 128"), over.getMessage());
        }
    }

    @Test
    void emptyOrMismatchedRequestsAreRefused() {
        assertEquals("labels", assertThrows(InvalidRequestException.class, () -> fp32.generate(new int[0], new long[0], 1)).field());
        assertEquals("seeds", assertThrows(InvalidRequestException.class, () -> fp32.generate(new int[2], new long[1], 1)).field());
    }

    private static double meanAbsDifference(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.abs(a[i] - b[i]);
        }
        return d / a.length;
    }
}
