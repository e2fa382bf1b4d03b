package io.un0.train.onnx;

/** A tensor in the graph being written: its name and its shape without the batch dimension. */
public record OnnxValue(String name, int[] shape) {

    public long elements() {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }
}
