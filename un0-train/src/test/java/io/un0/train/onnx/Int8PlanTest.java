package io.un0.train.onnx;

import io.un0.train.djl.ActivationRanges;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Int8PlanTest {

    @Test
    void asymmetricRangeMapsOntoTheFullUint8Scale() {
        Int8Plan.Affine q = Int8Plan.uint8(new ActivationRanges.Range(-1f, 3f));
        assertEquals(4f / 255f, q.scale(), 1e-7);
        assertEquals(64, q.zeroPoint()); // zero stays exactly representable
    }

    @Test
    void nonNegativeRangeHasZeroPointZero() {
        Int8Plan.Affine q = Int8Plan.uint8(new ActivationRanges.Range(0f, 6f));
        assertEquals(0, q.zeroPoint());
    }

    @Test
    void degenerateRangeKeepsAPositiveScale() {
        Int8Plan.Affine q = Int8Plan.uint8(new ActivationRanges.Range(0f, 0f));
        assertEquals(true, q.scale() > 0);
    }
}
