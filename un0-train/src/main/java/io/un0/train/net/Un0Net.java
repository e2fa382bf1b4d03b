package io.un0.train.net;

import java.util.Set;

/**
 * The Un-0 generator: a small class-conditional U-Net, 28 → 14 → 7 → 14 → 28, predicting the average velocity
 * {@code s(x_t, t, d)} over a step of size d (shortcut models, Frans et al. 2024). The step size is an input, so
 * the same weights serve 1 step (d = 1) and K steps (d = 1/K).
 *
 * <p>Inputs: {@code x [N,1,28,28]} (the current point between noise at t = 0 and image at t = 1),
 * {@code label [N,classes]} one-hot, {@code t [N]}, {@code d [N]}. Output: {@code [N,1,28,28]}.
 */
public record Un0Net(int width, int embedding, int classes) {

    private static final int GROUPS = 8;
    /** The convolutions that take the image in and give the velocity out; int8 packages keep them in float. */
    public static final Set<String> IMAGE_CONVOLUTIONS = Set.of("in", "out");
    /** Frequencies for t and d in [0, 1]: from a full turn over the interval down to very fine. */
    private static final float[] FREQUENCIES = frequencies(16);

    public <T> T forward(TensorOps<T> ops, T x, T label, T t, T d) {
        // Channels grow fast as resolution falls: a parameter at 7×7 costs 16 times fewer operations than at 28×28.
        int c1 = width;
        int c2 = width * 3;
        int c3 = width * 6;

        T conditioning = ops.concat(ops.concat(
                ops.linear(label, "embed.label", embedding),
                ops.sinusoidal(t, FREQUENCIES)), ops.sinusoidal(d, FREQUENCIES));
        T emb = ops.linear(ops.silu(ops.linear(conditioning, "embed.mlp1", embedding)), "embed.mlp2", embedding);
        emb = ops.silu(emb);

        T h28 = ops.conv2d(x, "in", c1, 3, 1, 1);
        h28 = residual(ops, h28, emb, "down28", c1, false);
        T h14 = ops.conv2d(h28, "pool28", c2, 3, 2, 1);
        h14 = residual(ops, h14, emb, "down14", c2, false);
        T h7 = ops.conv2d(h14, "pool14", c3, 3, 2, 1);
        h7 = residual(ops, h7, emb, "mid7", c3, false);

        T u14 = ops.depthToSpace(ops.conv2d(h7, "up7", c2 * 4, 1, 1, 0), 2);
        u14 = residual(ops, ops.concat(u14, h14), emb, "up14", c2, true);
        T u28 = ops.depthToSpace(ops.conv2d(u14, "up14.shuffle", c1 * 4, 1, 1, 0), 2);
        u28 = residual(ops, ops.concat(u28, h28), emb, "up28", c1, true);

        T out = ops.silu(ops.groupNorm(u28, "out.norm", GROUPS));
        return ops.conv2d(out, "out", 1, 3, 1, 1);
    }

    /**
     * Pre-activation residual block with the conditioning applied as a per-channel scale and shift. The up blocks
     * take the concatenation with the skip connection, so their shortcut needs a 1×1 projection.
     */
    private <T> T residual(TensorOps<T> ops, T x, T emb, String name, int channels, boolean projectShortcut) {
        T h = ops.conv2d(ops.silu(ops.groupNorm(x, name + ".norm1", GROUPS)), name + ".conv1", channels, 3, 1, 1);
        h = ops.modulate(h, ops.linear(emb, name + ".scale", channels), ops.linear(emb, name + ".shift", channels));
        h = ops.conv2d(ops.silu(ops.groupNorm(h, name + ".norm2", GROUPS)), name + ".conv2", channels, 3, 1, 1);
        T shortcut = projectShortcut ? ops.conv2d(x, name + ".skip", channels, 1, 1, 0) : x;
        return ops.add(h, shortcut);
    }

    private static float[] frequencies(int count) {
        float[] f = new float[count];
        for (int i = 0; i < count; i++) {
            f[i] = (float) (Math.PI * Math.pow(2.0, i * 8.0 / (count - 1)) / 2.0);
        }
        return f;
    }
}
