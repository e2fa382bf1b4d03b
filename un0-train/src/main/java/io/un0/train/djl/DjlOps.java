package io.un0.train.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.un0.train.net.ParameterInit;
import io.un0.train.net.TensorOps;

/**
 * Executes a network on DJL arrays (PyTorch engine). Every result is attached to {@code scope}, so closing the
 * scope after a step frees all intermediate tensors while the parameters live on. A checking instance
 * ({@link #checkingFinite}) verifies every result and names the first op whose output is not finite: slow, so the
 * trainers use it only to replay a step whose loss diverged.
 */
public final class DjlOps implements TensorOps<NDArray> {

    private static final float NORM_EPSILON = 1e-5f;

    private final DjlParameters parameters;
    private final NDManager scope;
    private final ActivationRanges calibration;
    private final boolean checkFinite;
    /** The last parameterised layer run, to place an unnamed op (an activation, a sum) in a divergence report. */
    private String lastLayer;

    public DjlOps(DjlParameters parameters, NDManager scope) {
        this(parameters, scope, null, false);
    }

    /** With {@code calibration} set, every convolution records the range of its input and output. */
    public DjlOps(DjlParameters parameters, NDManager scope, ActivationRanges calibration) {
        this(parameters, scope, calibration, false);
    }

    private DjlOps(DjlParameters parameters, NDManager scope, ActivationRanges calibration, boolean checkFinite) {
        this.parameters = parameters;
        this.scope = scope;
        this.calibration = calibration;
        this.checkFinite = checkFinite;
    }

    /** Ops that throw {@link TrainingDivergedException} at the first op whose output holds a NaN or an infinity. */
    public static DjlOps checkingFinite(DjlParameters parameters, NDManager scope) {
        return new DjlOps(parameters, scope, null, true);
    }

    private NDArray own(NDArray a) {
        a.attach(scope);
        return a;
    }

    /**
     * Owns an op's result; when checking, names the op if the result is not finite (its inputs were: else an earlier
     * op would have thrown). The name is put together only then, so that unchecked steps pay nothing for it.
     *
     * @param layer the op's parameter name, or null for an op without parameters (placed after the last layer)
     */
    private NDArray result(NDArray a, String op, String layer) {
        own(a);
        if (checkFinite) {
            NonFiniteCount.in(a).ifPresent(bad -> {
                String where = layer != null ? " '" + layer + "'"
                        : " after " + (lastLayer == null ? "the network's inputs" : "'" + lastLayer + "'");
                throw new TrainingDivergedException("op " + op + where + " gave " + bad + " from finite inputs");
            });
        }
        if (layer != null) {
            lastLayer = layer;
        }
        return a;
    }

    @Override
    public NDArray conv2d(NDArray x, String name, int outChannels, int kernel, int stride, int padding) {
        int in = (int) x.getShape().get(1);
        NDArray w = parameters.get(name + ".weight", new int[] {outChannels, in, kernel, kernel}, ParameterInit.FAN_IN_UNIFORM);
        NDArray b = parameters.get(name + ".bias", new int[] {outChannels}, ParameterInit.ZEROS);
        NDArray y = result(x.getNDArrayInternal().convolution(x, w, b, new Shape(stride, stride), new Shape(padding, padding),
                new Shape(1, 1), 1).singletonOrThrow(), "conv2d", name);
        if (calibration != null) {
            calibration.observe(name, x.toFloatArray(), y.toFloatArray());
        }
        return y;
    }

    @Override
    public NDArray linear(NDArray x, String name, int outFeatures) {
        int in = (int) x.getShape().get(1);
        NDArray w = parameters.get(name + ".weight", new int[] {outFeatures, in}, ParameterInit.FAN_IN_UNIFORM);
        NDArray b = parameters.get(name + ".bias", new int[] {outFeatures}, ParameterInit.ZEROS);
        return result(x.getNDArrayInternal().linear(x, w, b).singletonOrThrow(), "linear", name);
    }

    @Override
    public NDArray groupNorm(NDArray x, String name, int groups) {
        Shape s = x.getShape();
        int channels = (int) s.get(1);
        NDArray gamma = parameters.get(name + ".gamma", new int[] {channels}, ParameterInit.ONES);
        NDArray beta = parameters.get(name + ".beta", new int[] {channels}, ParameterInit.ZEROS);
        NDArray g = own(x.reshape(s.get(0), groups, -1));
        NDArray centred = own(g.sub(own(g.mean(new int[] {2}, true))));
        NDArray variance = own(own(centred.mul(centred)).mean(new int[] {2}, true));
        NDArray normed = own(own(centred.div(own(own(variance.add(NORM_EPSILON)).sqrt()))).reshape(s));
        return result(own(normed.mul(own(gamma.reshape(1, channels, 1, 1)))).add(own(beta.reshape(1, channels, 1, 1))),
                "groupNorm", name);
    }

    @Override
    public NDArray modulate(NDArray x, NDArray scale, NDArray shift) {
        long n = x.getShape().get(0);
        long c = x.getShape().get(1);
        NDArray factor = own(own(scale.reshape(n, c, 1, 1)).add(1f));
        return result(own(x.mul(factor)).add(own(shift.reshape(n, c, 1, 1))), "modulate", null);
    }

    @Override
    public NDArray sinusoidal(NDArray scalarPerSample, float[] frequencies) {
        NDArray f = own(scope.create(frequencies, new Shape(1, frequencies.length)));
        NDArray angles = own(own(scalarPerSample.reshape(-1, 1)).mul(f));
        return result(own(angles.sin()).concat(own(angles.cos()), 1), "sinusoidal embedding", null);
    }

    @Override
    public NDArray add(NDArray a, NDArray b) {
        return result(a.add(b), "add", null);
    }

    @Override
    public NDArray silu(NDArray x) {
        return result(x.mul(own(Activation.sigmoid(x))), "silu", null);
    }

    @Override
    public NDArray relu(NDArray x) {
        return result(Activation.relu(x), "relu", null);
    }

    @Override
    public NDArray concat(NDArray a, NDArray b) {
        return result(a.concat(b, 1), "concat", null);
    }

    @Override
    public NDArray depthToSpace(NDArray x, int block) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1) / (block * block);
        long h = s.get(2);
        long w = s.get(3);
        NDArray split = own(x.reshape(n, c, block, block, h, w));
        return result(own(split.transpose(0, 1, 4, 2, 5, 3)).reshape(n, c, h * block, w * block), "depthToSpace", null);
    }

    @Override
    public NDArray meanPool(NDArray x) {
        Shape s = x.getShape();
        // DJL's PyTorch engine reduces one axis at a time: flatten the positions into one.
        return result(own(x.reshape(s.get(0), s.get(1), -1)).mean(new int[] {2}), "meanPool", null);
    }

    @Override
    public NDArray flatten(NDArray x) {
        return own(x.reshape(x.getShape().get(0), -1));
    }
}
