package io.un0.quality;

import io.un0.data.FashionMnist;
import io.un0.engine.Solver;
import io.un0.engine.Un0Engine;
import io.un0.image.Png;
import io.un0.sampling.BalancedSamples;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Contact sheets with one column per class, real or generated, so that a reader can see what the quality figures
 * describe (haze, ragged edges, broken strokes). Row r, column c holds the r-th image of class c.
 */
public final class ClassSheets {

    private static final int SCALE = 2;

    private ClassSheets() {
    }

    /** The first {@code rows} test images of every class. */
    public static byte[] real(FashionMnist test, int rows) {
        int classes = FashionMnist.CLASS_NAMES.size();
        float[][] cells = new float[rows * classes][];
        int[] found = new int[classes];
        for (int i = 0; i < test.count() && Arrays.stream(found).anyMatch(f -> f < rows); i++) {
            int c = test.label(i);
            if (found[c] < rows) {
                float[] image = new float[FashionMnist.PIXELS];
                test.copyGrey(i, image, 0);
                cells[found[c]++ * classes + c] = image;
            }
        }
        return Png.contactSheet(Arrays.asList(cells), FashionMnist.SIDE, classes, SCALE);
    }

    /** {@code rows} images of every class in {@code steps} Euler steps, noise seeds {@code seed, seed + 1, ...}. */
    public static byte[] generated(Un0Engine engine, int steps, int rows, long seed) {
        return generated(engine, steps, Solver.EULER, rows, seed);
    }

    public static byte[] generated(Un0Engine engine, int steps, Solver solver, int rows, long seed) {
        int classes = engine.manifest().classNames().size();
        int count = rows * classes;
        float[] images = BalancedSamples.generate(engine, solver, steps, count, seed, batchesDone -> { });
        List<float[]> cells = IntStream.range(0, count)
                .mapToObj(i -> Arrays.copyOfRange(images, i * FashionMnist.PIXELS, (i + 1) * FashionMnist.PIXELS)).toList();
        return Png.contactSheet(cells, FashionMnist.SIDE, classes, SCALE);
    }
}
