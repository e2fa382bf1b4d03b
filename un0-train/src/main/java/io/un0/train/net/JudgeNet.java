package io.un0.train.net;

/**
 * The Fashion-MNIST classifier that judges the generators: class fidelity from its logits; FD, precision and recall
 * from its features. It is trained on the training split only and enters no generator's training loss. Input
 * {@code image [N,1,28,28]} in [-1, 1].
 *
 * <p>The features are the channel means of the last convolution block: every group-normalised channel has a share of
 * positive values on some image, so no feature is dead (the earlier judge's ReLU'd fully connected layer left 24 of
 * 128 always zero, and a distance in such a space ignores a fifth of its axes).
 */
public record JudgeNet(int classes, int width) {

    private static final int GROUPS = 8;

    public static JudgeNet standard() {
        return new JudgeNet(10, 32);
    }

    /** The length of the feature vector: the last block's channels. */
    public int features() {
        return width * 4;
    }

    public <T> T features(TensorOps<T> ops, T image) {
        T h = block(ops, image, "conv1", width, 1);          // 28 × 28
        h = block(ops, h, "conv2", width * 2, 2);            // 14 × 14
        h = block(ops, h, "conv3", width * 2, 1);
        h = block(ops, h, "conv4", width * 4, 2);            // 7 × 7
        h = block(ops, h, "conv5", width * 4, 1);
        return ops.meanPool(h);
    }

    public <T> T logits(TensorOps<T> ops, T features) {
        return ops.linear(features, "fc", classes);
    }

    private <T> T block(TensorOps<T> ops, T x, String name, int channels, int stride) {
        return ops.relu(ops.groupNorm(ops.conv2d(x, name, channels, 3, stride, 1), name + ".norm", GROUPS));
    }
}
