package io.un0.train.onnx;

import io.un0.train.djl.ActivationRanges;

/**
 * How to quantise the convolutions: weights int8, symmetric, one scale per output channel; activations uint8,
 * asymmetric, one scale per tensor from the calibrated range. ONNX Runtime fuses the resulting
 * DequantizeLinear → Conv → QuantizeLinear pattern into QLinearConv.
 */
public record Int8Plan(ActivationRanges ranges) {

    /** Scale and zero point of an asymmetric uint8 quantiser that covers {@code range} (which contains zero). */
    record Affine(float scale, int zeroPoint) {
    }

    static Affine uint8(ActivationRanges.Range range) {
        float scale = Math.max((range.max() - range.min()) / 255f, 1e-8f);
        int zero = Math.round(-range.min() / scale);
        return new Affine(scale, Math.max(0, Math.min(255, zero)));
    }
}
