package io.un0.train.net;

import java.util.SplittableRandom;

/** How a parameter starts, given its name's role; shapes follow PyTorch's layout (out, in, ...). */
public enum ParameterInit {
    /** Uniform in ±1/sqrt(fan-in), the usual default for convolutions and linear layers. */
    FAN_IN_UNIFORM,
    ZEROS,
    ONES;

    public float[] values(int[] shape, SplittableRandom random) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] v = new float[n];
        switch (this) {
            case ZEROS -> { }
            case ONES -> java.util.Arrays.fill(v, 1f);
            case FAN_IN_UNIFORM -> {
                double bound = 1.0 / Math.sqrt(n / (double) shape[0]);
                for (int i = 0; i < n; i++) {
                    v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
            }
        }
        return v;
    }
}
