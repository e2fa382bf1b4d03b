package io.un0.quality;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrechetDistanceTest {

    private static double[][] gaussian(int n, int dim, double shift, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][dim];
        for (double[] row : x) {
            for (int j = 0; j < dim; j++) {
                row[j] = shift + scale * r.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void identicalSetsAreAtDistanceZero() {
        double[][] a = gaussian(500, 8, 0, 1, 1);
        assertEquals(0.0, FrechetDistance.between(a, a), 1e-6);
    }

    @Test
    void shiftedMeanAddsItsSquaredLength() {
        double[][] a = gaussian(500, 4, 0, 1, 1);
        double[][] b = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].clone();
            for (int j = 0; j < 4; j++) {
                b[i][j] += 2;
            }
        }
        assertEquals(16.0, FrechetDistance.between(a, b), 1e-6);
    }

    @Test
    void scaledCovarianceMatchesTheClosedForm() {
        // Σ1 = I, Σ2 = 4 I in d dimensions: tr(I + 4I − 2·2I) = d.
        double[][] a = gaussian(20_000, 3, 0, 1, 2);
        double[][] b = gaussian(20_000, 3, 0, 2, 3);
        assertEquals(3.0, FrechetDistance.between(a, b), 0.15);
    }

    @Test
    void rejectsMismatchedFeatures() {
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(gaussian(5, 3, 0, 1, 1), gaussian(5, 4, 0, 1, 1)));
    }
}
