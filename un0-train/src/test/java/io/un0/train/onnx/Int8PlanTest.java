package io.un0.train.onnx;

import io.un0.train.djl.ActivationRanges;
import io.un0.train.djl.ActivationRanges.Observed;
import io.un0.train.djl.ActivationRanges.Range;
import io.un0.train.net.Un0Net;
import io.un0.train.onnx.Int8Plan.RangeRule;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Int8PlanTest {

    @Test
    void asymmetricRangeMapsOntoTheFullUint8Scale() {
        Int8Plan.Affine q = Int8Plan.uint8(new Range(-1f, 3f));
        assertEquals(4f / 255f, q.scale(), 1e-7);
        assertEquals(64, q.zeroPoint()); // zero stays exactly representable
        assertEquals(0f, q.restore(0f));
        assertEquals(3f, q.restore(7f), q.scale()); // clamped to the range, to within a step
    }

    @Test
    void nonNegativeRangeHasZeroPointZero() {
        Int8Plan.Affine q = Int8Plan.uint8(new Range(0f, 6f));
        assertEquals(0, q.zeroPoint());
    }

    @Test
    void degenerateRangeKeepsAPositiveScale() {
        Int8Plan.Affine q = Int8Plan.uint8(new Range(0f, 0f));
        assertEquals(true, q.scale() > 0);
    }

    @Test
    void aRangeWithoutZeroIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Range(0.5f, 2f));
    }

    @Test
    void minMaxKeepsTheObservedRange() {
        Observed o = new Observed(new Range(-2f, 5f), new float[] {-2f, 0f, 5f});
        assertEquals(o.span(), RangeRule.MIN_MAX.choose(o));
    }

    @Test
    void leastSquaresClipsWhatIsTooRareToBeSampled() {
        SplittableRandom random = new SplittableRandom(7);
        float[] values = new float[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        // the range saw a spike of 50 that the sample, like most of the values, left out
        Range chosen = RangeRule.LEAST_SQUARES.choose(new Observed(new Range(-50f, 50f), values));
        assertTrue(chosen.max() < 10f && chosen.min() > -10f, "the spike's share of the range should go: " + chosen);
        assertTrue(chosen.max() > 3f && chosen.min() < -3f, "the bulk should stay inside: " + chosen);
    }

    @Test
    void leastSquaresKeepsARangeTheValuesFill() {
        float[] values = new float[1001];
        for (int i = 0; i < values.length; i++) {
            values[i] = -1f + 3f * i / (values.length - 1); // evenly over [-1, 2]: nothing to gain by clipping
        }
        Range chosen = RangeRule.LEAST_SQUARES.choose(new Observed(new Range(-1f, 2f), values));
        assertEquals(-1f, chosen.min(), 0.05f);
        assertEquals(2f, chosen.max(), 0.05f);
    }

    @Test
    void theImageConvolutionsStayInFloat() {
        Int8Plan plan = new Int8Plan(new ActivationRanges(1), RangeRule.LEAST_SQUARES, Un0Net.IMAGE_CONVOLUTIONS);
        assertFalse(plan.quantises("in"));
        assertFalse(plan.quantises("out"));
        assertTrue(plan.quantises("pool28"));
    }

    @Test
    void rulesAreNamedAsOnTheCommandLine() {
        assertEquals(RangeRule.LEAST_SQUARES, RangeRule.parse("least-squares"));
        assertEquals(RangeRule.MIN_MAX, RangeRule.parse("MIN-MAX"));
        assertThrows(IllegalArgumentException.class, () -> RangeRule.parse("percentile"));
    }
}
