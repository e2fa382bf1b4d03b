package io.un0.quality;

import java.util.stream.IntStream;

/**
 * Improved precision and recall (Kynkäänniemi et al., "Improved Precision and Recall Metric for Assessing Generative
 * Models", 2019). Each set's manifold is the union of balls around its feature vectors, each ball reaching the
 * vector's k-th nearest neighbour within its own set. Precision is the share of generated vectors inside the real
 * manifold (low when images are hazy or malformed); recall the share of real vectors inside the generated manifold
 * (low when the generator misses kinds of images). FD mixes the two; these tell them apart.
 *
 * <p>Both sets should be of equal size: a ball's radius shrinks as its set grows.
 */
public final class PrecisionRecall {

    /** The neighbourhood size the paper recommends. */
    public static final int K = 3;

    /** The measured pair. */
    public record Scores(double precision, double recall) {
    }

    /** A feature set with the radius of each vector's ball, so that one reference set serves many comparisons. */
    public static final class Manifold {
        private final float[][] points;
        private final float[] norms;
        private final float[] radii;

        public Manifold(double[][] features, int k) {
            if (features.length <= k) {
                throw new IllegalArgumentException("a manifold with k = " + k + " needs more than " + k + " vectors, got " + features.length);
            }
            this.points = new float[features.length][];
            this.norms = new float[features.length];
            for (int i = 0; i < features.length; i++) {
                points[i] = new float[features[i].length];
                for (int j = 0; j < features[i].length; j++) {
                    points[i][j] = (float) features[i][j];
                }
                norms[i] = dot(points[i], points[i]);
            }
            this.radii = new float[features.length];
            // The k + 1 nearest include the vector itself at distance 0.
            IntStream.range(0, points.length).parallel().forEach(i -> radii[i] = kthSmallest(squaredDistances(points[i], norms[i]), k + 1));
        }

        public int size() {
            return points.length;
        }

        private float[] squaredDistances(float[] q, float qNorm) {
            float[] d = new float[points.length];
            for (int j = 0; j < points.length; j++) {
                d[j] = Math.max(0f, qNorm + norms[j] - 2f * dot(q, points[j]));
            }
            return d;
        }
    }

    private PrecisionRecall() {
    }

    public static Scores between(Manifold real, Manifold generated) {
        if (real.points[0].length != generated.points[0].length) {
            throw new IllegalArgumentException("feature lengths differ: " + real.points[0].length + " and " + generated.points[0].length);
        }
        // Row g of the cross distances decides whether g is inside the real manifold and which real vectors g's ball covers.
        byte[] covered = new byte[real.size()];
        long inside = IntStream.range(0, generated.size()).parallel().filter(g -> {
            float[] d = real.squaredDistances(generated.points[g], generated.norms[g]);
            boolean in = false;
            for (int r = 0; r < d.length; r++) {
                in |= d[r] <= real.radii[r];
                if (d[r] <= generated.radii[g]) {
                    covered[r] = 1; // racing writes of the same byte are harmless
                }
            }
            return in;
        }).count();
        int recalled = 0;
        for (byte c : covered) {
            recalled += c;
        }
        return new Scores(inside / (double) generated.size(), recalled / (double) real.size());
    }

    private static float dot(float[] a, float[] b) {
        // Four partial sums let the JIT overlap the multiplications.
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < a.length; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The n-th smallest value (1-based), by partial selection. */
    private static float kthSmallest(float[] values, int n) {
        float[] best = new float[n];
        java.util.Arrays.fill(best, Float.POSITIVE_INFINITY);
        for (float v : values) {
            if (v < best[n - 1]) {
                int i = n - 1;
                while (i > 0 && best[i - 1] > v) {
                    best[i] = best[i - 1];
                    i--;
                }
                best[i] = v;
            }
        }
        return best[n - 1];
    }
}
