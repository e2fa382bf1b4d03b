package io.un0.train.net;

/**
 * The Fashion-MNIST classifier that judges the generator: class fidelity from its logits, the FD-FMNIST
 * distance from its penultimate-layer features. Input {@code image [N,1,28,28]} in [-1, 1].
 */
public record ClassifierNet(int classes, int features) {

    public static ClassifierNet standard() {
        return new ClassifierNet(10, 128);
    }

    /** Returns the features (post-activation penultimate layer); {@link #logits} maps them to class scores. */
    public <T> T features(TensorOps<T> ops, T image) {
        T h = ops.relu(ops.conv2d(image, "conv1", 32, 3, 1, 1));
        h = ops.relu(ops.conv2d(h, "conv2", 64, 3, 2, 1));
        h = ops.relu(ops.conv2d(h, "conv3", 64, 3, 2, 1));
        h = ops.relu(ops.conv2d(h, "conv4", 32, 3, 1, 1));
        return ops.relu(ops.linear(ops.flatten(h), "fc1", features));
    }

    public <T> T logits(TensorOps<T> ops, T features) {
        return ops.linear(features, "fc2", classes);
    }
}
