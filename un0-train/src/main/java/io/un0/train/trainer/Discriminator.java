package io.un0.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.un0.data.FashionMnist;
import io.un0.train.djl.DjlOps;
import io.un0.train.djl.DjlParameters;
import io.un0.train.net.HostTensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The critic of {@link GeneratorObjective#ADVERSARIAL}: a small class-conditional convolutional network that scores how
 * much an image looks like a real training image of its class, a projection discriminator (Miyato and Koyama, "cGANs
 * with Projection Discriminator", 2018: a score from the image's features plus their dot product with an embedding of
 * its class). It is a network of its own, initialised from its own seed and trained only here, beside the generator;
 * it is not the judge nor made from it, and it is never exported. Trained with the hinge loss.
 */
final class Discriminator implements AutoCloseable {

    private static final int WIDTH = 32;
    private static final int GROUPS = 8;
    /** Leaky, so that an image the critic is sure of still passes a gradient back to the generator. */
    private static final float LEAK = 0.2f;
    private static final String PREFIX = "critic.";

    private final DjlParameters parameters;
    private final Adam adam;

    Discriminator(NDManager base, long seed, int classes) {
        this.parameters = new DjlParameters(base, seed, true);
        try (NDManager scope = base.newSubManager()) {
            score(new DjlOps(parameters, scope), scope, scope.zeros(new Shape(1, 1, FashionMnist.SIDE, FashionMnist.SIDE)),
                    scope.zeros(new Shape(1, classes)));
        }
        // The weight average Adam keeps is not used: the critic is never exported.
        this.adam = new Adam(parameters, base, 0f);
    }

    /** One score per image [N,1,28,28] in [-1, 1] of class {@code label} [N,classes] one-hot: high for real-looking. */
    NDArray score(NDManager scope, NDArray image, NDArray label) {
        return score(new DjlOps(parameters, scope), scope, image, label);
    }

    private NDArray score(DjlOps ops, NDManager scope, NDArray image, NDArray label) {
        NDArray h = leaky(scope, ops.conv2d(image, "conv1", WIDTH, 3, 1, 1));                               // 28 × 28
        h = leaky(scope, ops.groupNorm(ops.conv2d(h, "conv2", WIDTH * 2, 3, 2, 1), "conv2.norm", GROUPS));   // 14 × 14
        h = leaky(scope, ops.groupNorm(ops.conv2d(h, "conv3", WIDTH * 4, 3, 2, 1), "conv3.norm", GROUPS));   // 7 × 7
        h = leaky(scope, ops.groupNorm(ops.conv2d(h, "conv4", WIDTH * 4, 3, 1, 1), "conv4.norm", GROUPS));
        NDArray features = ops.meanPool(h);
        NDArray unconditional = attach(scope, ops.linear(features, "out", 1).reshape(-1));
        NDArray projection = attach(scope, attach(scope, features.mul(ops.linear(label, "embed", WIDTH * 4))).sum(new int[] {1}));
        return attach(scope, unconditional.add(projection));
    }

    /** The hinge loss of the critic (Lim and Ye 2017): real scores pushed above 1, generated ones below −1. */
    NDArray loss(NDManager scope, NDArray real, NDArray realLabel, NDArray generated, NDArray generatedLabel) {
        NDArray onReal = attach(scope, Activation.relu(attach(scope, score(scope, real, realLabel).neg().add(1f))).mean());
        NDArray onGenerated = attach(scope, Activation.relu(attach(scope, score(scope, generated, generatedLabel).add(1f))).mean());
        return attach(scope, onReal.add(onGenerated));
    }

    /** One update of the critic from the gradients of its last {@link #loss}; clears them. */
    void update(int step, float learningRate) {
        adam.update(step, learningRate);
    }

    /** The critic's weights: the generator's loss leaves gradients in them, which its step clears. */
    DjlParameters parameters() {
        return parameters;
    }

    /** Its weights and optimiser state, under a prefix of their own, for the generator's checkpoint. */
    Map<String, HostTensor> state() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        parameters.toHost().forEach((k, v) -> out.put(PREFIX + "param/" + k, v));
        adam.state().forEach((k, v) -> out.put(PREFIX + k, v));
        return out;
    }

    void restore(Map<String, HostTensor> checkpoint) {
        restoreWeights(checkpoint);
        Map<String, HostTensor> own = new LinkedHashMap<>();
        checkpoint.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                own.put(k.substring(PREFIX.length()), v);
            }
        });
        adam.restore(own);
    }

    /** Its weights alone from a generator's checkpoint, its optimiser left as it is. */
    void restoreWeights(Map<String, HostTensor> checkpoint) {
        Map<String, HostTensor> weights = new LinkedHashMap<>();
        parameters.arrays().keySet().forEach(name -> {
            HostTensor w = checkpoint.get(PREFIX + "param/" + name);
            if (w == null) {
                throw new IllegalStateException("checkpoint lacks the critic's " + name);
            }
            weights.put(name, w);
        });
        parameters.load(weights);
    }

    private static NDArray leaky(NDManager scope, NDArray x) {
        return attach(scope, Activation.leakyRelu(x, LEAK));
    }

    private static NDArray attach(NDManager scope, NDArray a) {
        a.attach(scope);
        return a;
    }

    @Override
    public void close() {
        adam.close();
        parameters.close();
    }
}
