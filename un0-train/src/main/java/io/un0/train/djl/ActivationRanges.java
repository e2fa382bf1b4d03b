package io.un0.train.djl;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What calibration saw of every convolution's input and output, by convolution name: the exact range and a uniform
 * random sample of the values, which is what static int8 calibration needs to choose the activation scales (by the
 * range alone, or by the quantisation error over the values).
 */
public final class ActivationRanges {

    /** Values kept per tensor: enough to price a clipping range to well under a percent, small enough to search quickly. */
    static final int SAMPLE_SIZE = 1 << 16;

    /** A closed interval that always contains zero, so that zero stays exactly representable after quantisation. */
    public record Range(float min, float max) {
        public Range {
            if (!(min <= 0 && max >= 0)) {
                throw new IllegalArgumentException("a quantisation range must contain zero, not [" + min + ", " + max + "]");
            }
        }

        Range widen(float lo, float hi) {
            return new Range(Math.min(min, lo), Math.max(max, hi));
        }
    }

    /** One tensor as calibration saw it: its range (widened to contain zero) and a uniform sample of its values. */
    public record Observed(Range span, float[] sample) {
    }

    private final Map<String, Tensor> inputs = new LinkedHashMap<>();
    private final Map<String, Tensor> outputs = new LinkedHashMap<>();
    private final SplittableRandom random;

    /** @param seed seeds the sampling of values, so that a calibration is repeatable */
    public ActivationRanges(long seed) {
        this.random = new SplittableRandom(seed);
    }

    void observe(String conv, float[] input, float[] output) {
        inputs.computeIfAbsent(conv, c -> new Tensor(random.split())).offer(input);
        outputs.computeIfAbsent(conv, c -> new Tensor(random.split())).offer(output);
    }

    public Observed input(String conv) {
        return require(inputs, conv);
    }

    public Observed output(String conv) {
        return require(outputs, conv);
    }

    private static Observed require(Map<String, Tensor> m, String conv) {
        Tensor t = m.get(conv);
        if (t == null) {
            throw new IllegalStateException("no calibration data for convolution " + conv);
        }
        return new Observed(t.span, Arrays.copyOf(t.sample, t.filled));
    }

    /**
     * Range and reservoir sample of one tensor's values across every batch it was seen in (Li's "Algorithm L": the
     * gaps between kept values are drawn, so a value that is not kept costs nothing but the range check).
     */
    private static final class Tensor {
        private final SplittableRandom random;
        private final float[] sample = new float[SAMPLE_SIZE];
        private Range span = new Range(0, 0);
        private int filled;
        private long seen;
        private long nextKept;
        private double w;

        Tensor(SplittableRandom random) {
            this.random = random;
        }

        void offer(float[] values) {
            float lo = 0;
            float hi = 0;
            for (float v : values) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            span = span.widen(lo, hi);
            int i = 0;
            while (i < values.length && filled < sample.length) {
                sample[filled++] = values[i++];
                seen++;
                if (filled == sample.length) {
                    w = Math.exp(Math.log(uniform()) / sample.length);
                    nextKept = seen + gap();
                }
            }
            while (i < values.length) {
                long skip = nextKept - seen;
                if (skip >= values.length - i) {
                    seen += values.length - i;
                    return;
                }
                i += (int) skip;
                sample[random.nextInt(sample.length)] = values[i++];
                seen = nextKept + 1;
                w *= Math.exp(Math.log(uniform()) / sample.length);
                nextKept = seen + gap();
            }
        }

        private long gap() {
            return (long) Math.floor(Math.log(uniform()) / Math.log1p(-w));
        }

        /** Uniform on (0, 1], so that its logarithm is finite. */
        private double uniform() {
            return 1 - random.nextDouble();
        }
    }
}
