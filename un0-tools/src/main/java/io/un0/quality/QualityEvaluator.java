package io.un0.quality;

import io.un0.data.FashionMnist;
import io.un0.engine.GeneratedImage;
import io.un0.engine.Un0Engine;

import java.util.List;

/**
 * Measures a generator against the Fashion-MNIST test set with our classifier: class fidelity (share of images the
 * classifier puts in the requested class) and FD-FMNIST (Fréchet distance of the classifier's penultimate-layer
 * features of generated images and of the test images). Classes are requested in equal shares, seeds are
 * {@code seed, seed + 1, ...}, so a run is reproducible.
 */
public final class QualityEvaluator {

    private static final int BATCH = 128;

    private final Classifier classifier;
    private final double[][] referenceFeatures;
    private final double testAccuracy;

    /** One measurement. */
    public record Quality(int steps, String precision, int samples, double fidelity, double fd) {
    }

    public QualityEvaluator(Classifier classifier, FashionMnist test) {
        this.classifier = classifier;
        float[] images = new float[test.count() * FashionMnist.PIXELS];
        for (int i = 0; i < test.count(); i++) {
            test.copyImage(i, images, i * FashionMnist.PIXELS);
        }
        for (int p = 0; p < images.length; p++) {
            images[p] = (images[p] + 1f) / 2f;
        }
        Classifier.Scores scores = classifier.score(images, test.count());
        int correct = 0;
        for (int i = 0; i < test.count(); i++) {
            correct += scores.predicted()[i] == test.label(i) ? 1 : 0;
        }
        this.testAccuracy = correct / (double) test.count();
        this.referenceFeatures = scores.features();
    }

    /** The classifier's accuracy on the test images, measured through ONNX Runtime. */
    public double testAccuracy() {
        return testAccuracy;
    }

    public Quality evaluate(Un0Engine engine, int steps, int samples, long seed) {
        int classes = engine.manifest().classNames().size();
        int pixels = FashionMnist.PIXELS;
        float[] images = new float[samples * pixels];
        int[] requested = new int[samples];
        // Batches run in parallel on one-thread sessions: that covers the cores better than one multi-threaded call.
        java.util.stream.IntStream.range(0, (samples + BATCH - 1) / BATCH).parallel().forEach(batch -> {
            int from = batch * BATCH;
            int m = Math.min(BATCH, samples - from);
            int[] labels = new int[m];
            long[] seeds = new long[m];
            for (int i = 0; i < m; i++) {
                labels[i] = (from + i) % classes;
                seeds[i] = seed + from + i;
                requested[from + i] = labels[i];
            }
            List<GeneratedImage> out = engine.generate(labels, seeds, steps);
            for (int i = 0; i < m; i++) {
                System.arraycopy(out.get(i).pixels(), 0, images, (from + i) * pixels, pixels);
            }
        });
        Classifier.Scores scores = classifier.score(images, samples);
        int hits = 0;
        for (int i = 0; i < samples; i++) {
            hits += scores.predicted()[i] == requested[i] ? 1 : 0;
        }
        return new Quality(steps, engine.manifest().precision(), samples, hits / (double) samples,
                FrechetDistance.between(scores.features(), referenceFeatures));
    }
}
