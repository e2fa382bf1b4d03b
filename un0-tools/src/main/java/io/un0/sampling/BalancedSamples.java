package io.un0.sampling;

import io.un0.engine.GeneratedImage;
import io.un0.engine.Solver;
import io.un0.engine.Un0Engine;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Many images from one generator with the classes in equal shares, as every measurement and every teacher set draws
 * them, so that a set is reproducible from (seed, count) alone: image i is of class {@code i % classes}, made from the
 * noise of seed {@code seed + i}. The evaluator and the reflow teacher both draw through here.
 */
public final class BalancedSamples {

    /** Images per engine call. */
    public static final int BATCH = 128;

    private BalancedSamples() {
    }

    /** The class image {@code image} of a set is asked for. */
    public static int label(int image, int classes) {
        return image % classes;
    }

    /** The engine calls a set of {@code count} images takes. */
    public static int batches(int count) {
        return (count + BATCH - 1) / BATCH;
    }

    /**
     * {@code count} images, grey levels in [0, 1], image i at {@code i * pixels}.
     *
     * @param batchesDone told how many batches have finished after each one, from the thread that finished it
     */
    public static float[] generate(Un0Engine engine, Solver solver, int steps, int count, long seed, IntConsumer batchesDone) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one image, not " + count);
        }
        int classes = engine.manifest().classNames().size();
        int pixels = engine.manifest().imageSize() * engine.manifest().imageSize() * engine.manifest().channels();
        float[] images = new float[Math.multiplyExact(count, pixels)];
        AtomicInteger done = new AtomicInteger();
        // Batches run in parallel on one-thread sessions: that covers the cores better than one multi-threaded call,
        // and each image depends only on its seed, so the order batches finish in changes nothing.
        IntStream.range(0, batches(count)).parallel().forEach(batch -> {
            int from = batch * BATCH;
            int m = Math.min(BATCH, count - from);
            int[] labels = new int[m];
            long[] seeds = new long[m];
            for (int i = 0; i < m; i++) {
                labels[i] = label(from + i, classes);
                seeds[i] = seed + from + i;
            }
            List<GeneratedImage> out = engine.generate(labels, seeds, steps, solver);
            for (int i = 0; i < m; i++) {
                System.arraycopy(out.get(i).pixels(), 0, images, (from + i) * pixels, pixels);
            }
            batchesDone.accept(done.incrementAndGet());
        });
        return images;
    }
}
