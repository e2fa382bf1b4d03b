package io.un0.train.trainer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.un0.data.FashionMnist;
import io.un0.train.djl.DjlOps;
import io.un0.train.djl.DjlParameters;
import io.un0.train.djl.TrainingEngine;
import io.un0.train.net.JudgeNet;
import io.un0.train.net.HostTensor;

import java.io.PrintStream;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains the judge on the training split only: cross-entropy, seeded shuffles, random shifts of up to two pixels and
 * mirror images (clothes are left-right symmetric enough that a mirrored shirt is still a shirt). The last
 * {@link #VALIDATION} training images are held out and scored after every epoch, so that progress is watched without
 * looking at the test set, which is scored once at the end.
 */
public final class JudgeTrainer {

    /** Training images held out for the per-epoch check. */
    public static final int VALIDATION = 5000;
    private static final int MAX_SHIFT = 2;

    public record Result(Map<String, HostTensor> weights, int trainImages, double validationAccuracy, double testAccuracy,
                         double seconds) {
    }

    private final JudgeNet net;
    private final long seed;
    private final int epochs;
    private final int batch;
    private final PrintStream log;
    private final DivergenceGuard guard = new DivergenceGuard("judge training");

    public JudgeTrainer(JudgeNet net, long seed, int epochs, int batch, PrintStream log) {
        this.net = net;
        this.seed = seed;
        this.epochs = epochs;
        this.batch = batch;
        this.log = log;
    }

    public Result train(FashionMnist train, FashionMnist test, int limit) {
        long started = System.nanoTime();
        int n = Math.min(limit, train.count() - VALIDATION);
        int stepsPerEpoch = n / batch;
        int total = stepsPerEpoch * epochs;
        LearningRateSchedule schedule = new LearningRateSchedule(2e-3f, total);
        try (NDManager base = TrainingEngine.newManager(); DjlParameters parameters = new DjlParameters(base, seed, true)) {
            try (NDManager scope = base.newSubManager()) {
                DjlOps ops = new DjlOps(parameters, scope);
                net.logits(ops, net.features(ops, scope.zeros(new Shape(1, 1, 28, 28))));
            }
            try (Adam adam = new Adam(parameters, base, 0.999f)) {
                Progress progress = new Progress("judge", 0, total, log);
                SplittableRandom random = new SplittableRandom(seed);
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                int step = 0;
                int validationFrom = train.count() - VALIDATION;
                double validation = Double.NaN;
                for (int epoch = 0; epoch < epochs; epoch++) {
                    shuffle(order, random);
                    for (int s = 0; s < stepsPerEpoch; s++, step++) {
                        double loss = step(parameters, base, train, order, s * batch, random, step);
                        adam.update(step + 1, schedule.at(step));
                        guard.weights(step, parameters);
                        progress.update(step + 1, loss);
                    }
                    validation = accuracy(parameters, base, train, validationFrom, train.count());
                    log.printf("judge epoch %d of %d: accuracy %.4f on the %d held-out training images (current weights)%n",
                            epoch + 1, epochs, validation, VALIDATION);
                }
                Map<String, HostTensor> weights = adam.averageToHost();
                parameters.load(weights);
                double accuracy = accuracy(parameters, base, test, 0, test.count());
                log.printf("judge test accuracy %.4f on %d images (averaged weights)%n", accuracy, test.count());
                return new Result(weights, n, validation, accuracy, (System.nanoTime() - started) / 1e9);
            }
        }
    }

    private double step(DjlParameters parameters, NDManager base, FashionMnist train, int[] order, int from, SplittableRandom random,
                        int step) {
        float[] x = new float[batch * FashionMnist.PIXELS];
        float[] y = new float[batch * net.classes()];
        float[] image = new float[FashionMnist.PIXELS];
        for (int i = 0; i < batch; i++) {
            int index = order[from + i];
            train.copyImage(index, image, 0);
            shifted(image, x, i * FashionMnist.PIXELS, random.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT,
                    random.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT, random.nextBoolean());
            y[i * net.classes() + train.label(index)] = 1f;
        }
        try (NDManager scope = base.newSubManager()) {
            NDArray images = scope.create(x, new Shape(batch, 1, 28, 28));
            NDArray labels = scope.create(y, new Shape(batch, net.classes()));
            double value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = crossEntropy(new DjlOps(parameters, scope), images, labels);
                collector.backward(loss);
                value = loss.getFloat();
            }
            guard.loss(step, value, () -> crossEntropy(DjlOps.checkingFinite(parameters, scope), images, labels));
            guard.gradients(step, parameters);
            return value;
        }
    }

    private NDArray crossEntropy(DjlOps ops, NDArray images, NDArray labels) {
        NDArray logits = net.logits(ops, net.features(ops, images));
        return logits.logSoftmax(1).mul(labels).sum(new int[] {1}).neg().mean();
    }

    /** Copies the image, mirrored if asked, moved by (dx, dy) pixels, filling the uncovered border with background (-1). */
    private static void shifted(float[] image, float[] target, int offset, int dx, int dy, boolean mirrored) {
        int side = FashionMnist.SIDE;
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                int sr = r - dy;
                int sc = mirrored ? side - 1 - (c - dx) : c - dx;
                target[offset + r * side + c] = sr < 0 || sr >= side || sc < 0 || sc >= side ? -1f : image[sr * side + sc];
            }
        }
    }

    /** Share of images {@code first} (inclusive) to {@code end} (exclusive) put in their class. */
    private double accuracy(DjlParameters parameters, NDManager base, FashionMnist test, int first, int end) {
        int correct = 0;
        int chunk = 500;
        for (int from = first; from < end; from += chunk) {
            int m = Math.min(chunk, end - from);
            float[] x = new float[m * FashionMnist.PIXELS];
            for (int i = 0; i < m; i++) {
                test.copyImage(from + i, x, i * FashionMnist.PIXELS);
            }
            try (NDManager scope = base.newSubManager()) {
                DjlOps ops = new DjlOps(parameters, scope);
                long[] predicted = net.logits(ops, net.features(ops, scope.create(x, new Shape(m, 1, 28, 28)))).argMax(1).toLongArray();
                for (int i = 0; i < m; i++) {
                    if (predicted[i] == test.label(from + i)) {
                        correct++;
                    }
                }
            }
        }
        return correct / (double) (end - first);
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
