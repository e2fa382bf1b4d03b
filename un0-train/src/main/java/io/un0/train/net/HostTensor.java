package io.un0.train.net;

import java.util.Arrays;

/** A float tensor in Java memory: how parameters travel between the trainer, checkpoints and the ONNX writer. */
public record HostTensor(int[] shape, float[] data) {

    public HostTensor {
        if (Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
        }
    }

    public int size() {
        return data.length;
    }
}
