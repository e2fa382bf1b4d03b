package io.un0.quality;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrecisionRecallTest {

    /** n points around each of the given centres, in turn; spread 1 around each centre. */
    private static double[][] clusters(int n, long seed, double... centres) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][4];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                x[i][j] = centres[i % centres.length] + r.nextGaussian();
            }
        }
        return x;
    }

    private static PrecisionRecall.Scores score(double[][] real, double[][] generated) {
        return PrecisionRecall.between(new PrecisionRecall.Manifold(real, PrecisionRecall.K),
                new PrecisionRecall.Manifold(generated, PrecisionRecall.K));
    }

    @Test
    void aSetAgainstItselfHasPerfectPrecisionAndRecall() {
        double[][] a = clusters(400, 1, 0);
        PrecisionRecall.Scores s = score(a, a);
        assertEquals(1.0, s.precision());
        assertEquals(1.0, s.recall());
    }

    @Test
    void farApartSetsShareNothing() {
        PrecisionRecall.Scores s = score(clusters(400, 1, 0), clusters(400, 2, 1000));
        assertEquals(0.0, s.precision());
        assertEquals(0.0, s.recall());
    }

    @Test
    void aGeneratorThatDropsAModeKeepsItsPrecisionAndLosesRecall() {
        double[][] real = clusters(600, 3, 0, 100);          // two kinds of image, in equal shares
        double[][] generated = clusters(600, 4, 0);          // only the first kind
        PrecisionRecall.Scores s = score(real, generated);
        assertTrue(s.precision() > 0.9, "precision " + s.precision());
        assertTrue(s.recall() > 0.4 && s.recall() < 0.55, "recall " + s.recall());
    }

    @Test
    void hazyImagesLoseTheirPrecisionButStillCoverTheRealOnes() {
        double[][] real = clusters(600, 5, 0);
        double[][] hazy = clusters(600, 6, 0);
        for (double[] row : hazy) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= 4;                                   // the same centre, spread four times as wide
            }
        }
        PrecisionRecall.Scores s = score(real, hazy);
        assertTrue(s.precision() < 0.3, "precision " + s.precision());
        assertTrue(s.recall() > 0.9, "recall " + s.recall());
    }

    @Test
    void rejectsMismatchedFeaturesAndTooFewVectors() {
        assertThrows(IllegalArgumentException.class, () -> score(clusters(10, 1, 0), new double[][] {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}}));
        assertThrows(IllegalArgumentException.class, () -> new PrecisionRecall.Manifold(clusters(3, 1, 0), PrecisionRecall.K));
    }
}
