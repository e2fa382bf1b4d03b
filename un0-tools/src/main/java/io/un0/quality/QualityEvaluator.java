package io.un0.quality;

import io.un0.data.FashionMnist;
import io.un0.engine.Solver;
import io.un0.engine.Un0Engine;
import io.un0.sampling.BalancedSamples;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Measures a generator against the Fashion-MNIST test set with the judge: class fidelity (share of images the judge
 * puts in the requested class), FD (Fréchet distance of the judge's features of generated and of test images), and
 * precision and recall in the same feature space. FD and precision/recall always compare equal numbers of images:
 * n generated images against the first n test images, so a figure never depends on a size mismatch. Images are
 * drawn as {@link BalancedSamples} draws them (classes in equal shares, seeds {@code seed, seed + 1, ...}), so a run
 * is reproducible.
 */
public final class QualityEvaluator {

    private final Judge judge;
    private final double[][] testFeatures;
    private final double testAccuracy;
    private final int deadFeatures;
    /** The real manifold of the first n test images, by n. */
    private final Map<Integer, PrecisionRecall.Manifold> realManifolds = new ConcurrentHashMap<>();

    /** One measurement of a generator. */
    public record Quality(int steps, String precision, int samples, long seed, double fidelity, double fd,
                          PrecisionRecall.Scores manifold) {
    }

    /** What real images score against real images: training images drawn at random against the test images. */
    public record RealFloor(int samples, long seed, double fd, PrecisionRecall.Scores manifold) {
    }

    public QualityEvaluator(Judge judge, FashionMnist test) {
        this.judge = judge;
        Judge.Scores scores = judge.score(grey(test, IntStream.range(0, test.count()).toArray()), test.count());
        int correct = 0;
        for (int i = 0; i < test.count(); i++) {
            correct += scores.predicted()[i] == test.label(i) ? 1 : 0;
        }
        this.testAccuracy = correct / (double) test.count();
        this.testFeatures = scores.features();
        this.deadFeatures = constantColumns(testFeatures);
    }

    /** The judge's accuracy on the test images, measured through ONNX Runtime. */
    public double testAccuracy() {
        return testAccuracy;
    }

    /** How many of the judge's features take one value on every test image: axes that no distance can use. */
    public int deadFeatures() {
        return deadFeatures;
    }

    public int featureCount() {
        return testFeatures[0].length;
    }

    public RealFloor realFloor(FashionMnist train, int samples, long seed) {
        checkSamples(samples);
        int[] drawn = new SplittableRandom(seed).ints(0, train.count()).distinct().limit(samples).toArray();
        double[][] features = judge.score(grey(train, drawn), samples).features();
        return new RealFloor(samples, seed, FrechetDistance.between(features, reference(samples)),
                PrecisionRecall.between(realManifold(samples), new PrecisionRecall.Manifold(features, PrecisionRecall.K)));
    }

    /** Euler steps: {@link #evaluate(Un0Engine, Solver, int, int, long)} with {@link Solver#EULER}. */
    public Quality evaluate(Un0Engine engine, int steps, int samples, long seed) {
        return evaluate(engine, Solver.EULER, steps, samples, seed);
    }

    public Quality evaluate(Un0Engine engine, Solver solver, int steps, int samples, long seed) {
        checkSamples(samples);
        float[] images = BalancedSamples.generate(engine, solver, steps, samples, seed, batchesDone -> { });
        Judge.Scores scores = judge.score(images, samples);
        int classes = engine.manifest().classNames().size();
        int hits = 0;
        for (int i = 0; i < samples; i++) {
            hits += scores.predicted()[i] == BalancedSamples.label(i, classes) ? 1 : 0;
        }
        return new Quality(steps, engine.manifest().precision(), samples, seed, hits / (double) samples,
                FrechetDistance.between(scores.features(), reference(samples)),
                PrecisionRecall.between(realManifold(samples), new PrecisionRecall.Manifold(scores.features(), PrecisionRecall.K)));
    }

    private void checkSamples(int samples) {
        if (samples <= PrecisionRecall.K || samples > testFeatures.length) {
            throw new IllegalArgumentException("samples must be between " + (PrecisionRecall.K + 1) + " and " + testFeatures.length
                    + " (the test images that equal-size comparisons can use), not " + samples);
        }
    }

    private double[][] reference(int samples) {
        return samples == testFeatures.length ? testFeatures : java.util.Arrays.copyOf(testFeatures, samples);
    }

    private PrecisionRecall.Manifold realManifold(int samples) {
        return realManifolds.computeIfAbsent(samples, n -> new PrecisionRecall.Manifold(reference(n), PrecisionRecall.K));
    }

    /** The chosen images as grey levels in [0, 1], the judge's input. */
    private static float[] grey(FashionMnist data, int[] indices) {
        float[] images = new float[indices.length * FashionMnist.PIXELS];
        for (int i = 0; i < indices.length; i++) {
            data.copyGrey(indices[i], images, i * FashionMnist.PIXELS);
        }
        return images;
    }

    private static int constantColumns(double[][] features) {
        int dead = 0;
        for (int j = 0; j < features[0].length; j++) {
            double first = features[0][j];
            boolean constant = true;
            for (int i = 1; i < features.length && constant; i++) {
                constant = features[i][j] == first;
            }
            dead += constant ? 1 : 0;
        }
        return dead;
    }
}
