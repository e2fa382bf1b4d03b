package io.un0.train.djl;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Observed minimum and maximum of every convolution's input and output, by convolution name: what static int8
 * calibration needs to choose the activation scales.
 */
public final class ActivationRanges {

    /** A closed interval that always contains zero, so that zero stays exactly representable after quantisation. */
    public record Range(float min, float max) {
        Range widen(float lo, float hi) {
            return new Range(Math.min(min, lo), Math.max(max, hi));
        }
    }

    private final Map<String, Range> inputs = new LinkedHashMap<>();
    private final Map<String, Range> outputs = new LinkedHashMap<>();

    void observe(String conv, float[] input, float[] output) {
        inputs.merge(conv, span(input), (a, b) -> a.widen(b.min, b.max));
        outputs.merge(conv, span(output), (a, b) -> a.widen(b.min, b.max));
    }

    private static Range span(float[] v) {
        float lo = 0;
        float hi = 0;
        for (float f : v) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        return new Range(lo, hi);
    }

    public Range input(String conv) {
        return require(inputs, conv);
    }

    public Range output(String conv) {
        return require(outputs, conv);
    }

    private static Range require(Map<String, Range> m, String conv) {
        Range r = m.get(conv);
        if (r == null) {
            throw new IllegalStateException("no calibration data for convolution " + conv);
        }
        return r;
    }
}
