package io.un0.train.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.un0.data.FashionMnist;
import io.un0.model.Velocity;
import io.un0.train.net.HostTensor;
import io.un0.train.net.Un0Net;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Calibrates the activation ranges of the int8 generator on real samples: for every served step count K, points
 * {@code x_t = (1 - t) noise + t image} on that sampler's time grid, with real training images, labels and the
 * step size input the engine gives the network (1/K for an average velocity, 0 for an instantaneous one). These are
 * the inputs the sampler feeds the network, so the ranges cover what serving sees.
 */
public final class Int8Calibration {

    private Int8Calibration() {
    }

    public static ActivationRanges calibrate(Un0Net net, Velocity velocity, Map<String, HostTensor> weights, FashionMnist data,
                                             List<Integer> stepCounts, int imagesPerCount, long seed) {
        ActivationRanges ranges = new ActivationRanges(seed);
        SplittableRandom random = new SplittableRandom(seed);
        int n = imagesPerCount;
        try (NDManager base = TrainingEngine.newManager(); DjlParameters parameters = new DjlParameters(base, seed, false)) {
            parameters.load(weights);
            for (int k : stepCounts) {
                float[] x = new float[n * FashionMnist.PIXELS];
                float[] image = new float[FashionMnist.PIXELS];
                float[] label = new float[n * net.classes()];
                float[] t = new float[n];
                float[] d = new float[n];
                for (int i = 0; i < n; i++) {
                    int index = random.nextInt(data.count());
                    data.copyImage(index, image, 0);
                    label[i * net.classes() + data.label(index)] = 1f;
                    d[i] = velocity.stepSizeInput(1f / k);
                    t[i] = random.nextInt(k) / (float) k;
                    for (int p = 0; p < FashionMnist.PIXELS; p++) {
                        x[i * FashionMnist.PIXELS + p] = (1 - t[i]) * (float) random.nextGaussian() + t[i] * image[p];
                    }
                }
                try (NDManager scope = base.newSubManager()) {
                    NDArray out = net.forward(new DjlOps(parameters, scope, ranges), scope.create(x, new Shape(n, 1, 28, 28)),
                            scope.create(label, new Shape(n, net.classes())), scope.create(t), scope.create(d));
                    out.close();
                }
            }
        }
        return ranges;
    }
}
