package io.un0.train.onnx;

import io.un0.train.djl.ActivationRanges;
import io.un0.train.djl.ActivationRanges.Observed;
import io.un0.train.djl.ActivationRanges.Range;

import java.util.Locale;
import java.util.Set;

/**
 * How to quantise the convolutions: weights int8, symmetric, one scale per output channel; activations uint8,
 * asymmetric, one scale per tensor from a range chosen by {@link RangeRule} over what calibration observed. ONNX
 * Runtime fuses the resulting DequantizeLinear → Conv → QuantizeLinear pattern into QLinearConv. The convolutions
 * named in {@code keptFloat} stay in float: the image's way in and the velocity's way out, where one uint8 step is
 * a visible grey level and which cost under 1 % of the network's operations.
 */
public record Int8Plan(ActivationRanges observed, RangeRule rule, Set<String> keptFloat) {

    public Int8Plan {
        keptFloat = Set.copyOf(keptFloat);
    }

    /** How an activation's quantisation range is chosen from what calibration observed. */
    public enum RangeRule {
        /** The whole observed range: nothing is clipped, but one rare large value coarsens every step. */
        MIN_MAX("the observed minimum and maximum"),
        /** The range whose quantiser, clipping included, reproduces the sampled values with the least squared error. */
        LEAST_SQUARES("the range within the observed one whose uint8 quantiser has the least squared error over a"
                + " uniform sample of the tensor's values (clipping included)");

        private final String description;

        RangeRule(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        public static RangeRule parse(String id) {
            for (RangeRule r : values()) {
                // As on the command line: the constant's name in lower case, words joined by '-'.
                if (r.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(id.toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown int8 range rule '" + id + "': min-max or least-squares");
        }

        Range choose(Observed o) {
            return this == MIN_MAX ? o.span() : leastSquares(o);
        }
    }

    /** Scale and zero point of an asymmetric uint8 quantiser that covers {@code range} (which contains zero). */
    record Affine(float scale, int zeroPoint) {
        /** What the quantiser gives back for {@code x}: rounded to its grid and clamped to its range. */
        float restore(float x) {
            int q = Math.max(0, Math.min(255, Math.round(x / scale) + zeroPoint));
            return (q - zeroPoint) * scale;
        }
    }

    boolean quantises(String conv) {
        return !keptFloat.contains(conv);
    }

    Affine input(String conv) {
        return uint8(rule.choose(observed.input(conv)));
    }

    Affine output(String conv) {
        return uint8(rule.choose(observed.output(conv)));
    }

    static Affine uint8(Range range) {
        float scale = Math.max((range.max() - range.min()) / 255f, 1e-8f);
        int zero = Math.round(-range.min() / scale);
        return new Affine(scale, Math.max(0, Math.min(255, zero)));
    }

    /** Candidate ends per side: each a fraction k / CANDIDATES of the observed end. */
    private static final int CANDIDATES = 64;

    /**
     * Shrinks each end of the observed range in turn to the fraction of itself that minimises the squared error of
     * the quantised sample, twice round (the best upper end depends a little on the lower one through the zero point).
     */
    static Range leastSquares(Observed o) {
        Range best = o.span();
        double bestError = squaredError(best, o.sample());
        for (int round = 0; round < 2; round++) {
            for (boolean upper : new boolean[] {true, false}) {
                float end = upper ? o.span().max() : o.span().min();
                if (end == 0) {
                    continue;
                }
                for (int k = 1; k <= CANDIDATES; k++) {
                    float candidateEnd = end * k / CANDIDATES;
                    Range candidate = upper ? new Range(best.min(), candidateEnd) : new Range(candidateEnd, best.max());
                    double error = squaredError(candidate, o.sample());
                    if (error < bestError) {
                        best = candidate;
                        bestError = error;
                    }
                }
            }
        }
        return best;
    }

    private static double squaredError(Range range, float[] values) {
        Affine q = uint8(range);
        double sum = 0;
        for (float v : values) {
            double e = v - q.restore(v);
            sum += e * e;
        }
        return sum;
    }
}
