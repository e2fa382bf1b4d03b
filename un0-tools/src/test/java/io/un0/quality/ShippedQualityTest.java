package io.un0.quality;

import io.un0.engine.EngineOptions;
import io.un0.engine.GeneratedImage;
import io.un0.engine.Un0Engine;
import io.un0.image.Png;
import io.un0.model.ModelPackage;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped packages make the class they are asked for, in one step, judged by the shipped classifier. A small
 * sample of 300 images: the bound sits a few points under the fidelity that {@code un0 eval} measures on 10,000.
 */
class ShippedQualityTest {

    private static final int SAMPLES = 300;
    private static final double FIDELITY_FLOOR = 0.80;

    private static double fidelity(String generator) {
        try (Un0Engine engine = Un0Engine.open(ModelPackage.bundled(generator), EngineOptions.cpu(2));
             Judge judge = new Judge(ModelPackage.bundled(ModelPackage.JUDGE), EngineOptions.cpu(2))) {
            int[] labels = new int[SAMPLES];
            long[] seeds = new long[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                labels[i] = i % 10;
                seeds[i] = 77_000 + i;
            }
            float[] pixels = new float[SAMPLES * 784];
            for (int from = 0; from < SAMPLES; from += 100) {
                List<GeneratedImage> out = engine.generate(java.util.Arrays.copyOfRange(labels, from, from + 100),
                        java.util.Arrays.copyOfRange(seeds, from, from + 100), 1);
                for (int i = 0; i < 100; i++) {
                    System.arraycopy(out.get(i).pixels(), 0, pixels, (from + i) * 784, 784);
                }
            }
            int[] predicted = judge.score(pixels, SAMPLES).predicted();
            int hits = 0;
            for (int i = 0; i < SAMPLES; i++) {
                hits += predicted[i] == labels[i] ? 1 : 0;
            }
            return hits / (double) SAMPLES;
        }
    }

    @Test
    void oneStepFp32MakesTheRequestedClass() {
        double f = fidelity(ModelPackage.GENERATOR_FP32);
        assertTrue(f >= FIDELITY_FLOOR, "1-step fp32 class fidelity " + f);
    }

    @Test
    void oneStepInt8MakesTheRequestedClass() {
        double f = fidelity(ModelPackage.GENERATOR_INT8);
        assertTrue(f >= FIDELITY_FLOOR, "1-step int8 class fidelity " + f);
    }

    @Test
    void contactSheetIsADecodablePngOfTheRightSize() throws IOException {
        try (Un0Engine engine = Un0Engine.open(ModelPackage.bundled(ModelPackage.GENERATOR_FP32), EngineOptions.cpu(1))) {
            List<GeneratedImage> images = engine.generate(new int[] {7, 7, 7, 7, 7, 7}, new long[] {1, 2, 3, 4, 5, 6}, 1);
            BufferedImage sheet = ImageIO.read(new ByteArrayInputStream(Png.contactSheet(images, 3, 2)));
            assertEquals(3 * 56 + 2 * 2, sheet.getWidth());
            assertEquals(2 * 56 + 2, sheet.getHeight());
            BufferedImage one = ImageIO.read(new ByteArrayInputStream(Png.encode(images.get(0))));
            assertEquals(28, one.getWidth());
        }
    }
}
