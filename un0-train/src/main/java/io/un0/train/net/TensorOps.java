package io.un0.train.net;

/**
 * The few tensor operations the networks are written against. Each network is written once against this
 * interface; one back end executes it on DJL arrays for training, another emits ONNX nodes for serving, so the
 * trained and the served graph cannot drift apart.
 *
 * <p>Layers name their parameters ({@code name + ".weight"}, {@code name + ".bias"}, ...) and give their
 * hyper-parameters; the back end derives the parameter shapes from the input it sees, so the network declares
 * nothing twice.
 *
 * @param <T> the back end's tensor handle; every tensor carries a leading batch dimension
 */
public interface TensorOps<T> {

    /** 2-D convolution over NCHW with a square kernel, parameters {@code name.weight [out,in,k,k]}, {@code name.bias [out]}. */
    T conv2d(T x, String name, int outChannels, int kernel, int stride, int padding);

    /** Fully connected layer over [N,in]: {@code name.weight [out,in]}, {@code name.bias [out]}. */
    T linear(T x, String name, int outFeatures);

    /** Group normalisation over NCHW with a per-channel affine {@code name.gamma}, {@code name.beta}. */
    T groupNorm(T x, String name, int groups);

    /** x * (1 + scale) + shift, where scale and shift are [N,C] and x is [N,C,H,W]. */
    T modulate(T x, T scale, T shift);

    /** [N] to [N, 2F]: sin and cos of the value times each frequency. */
    T sinusoidal(T scalarPerSample, float[] frequencies);

    T add(T a, T b);

    T silu(T x);

    T relu(T x);

    /** Concatenates along axis 1 (channels or features). */
    T concat(T a, T b);

    /** [N, C*b*b, H, W] to [N, C, H*b, W*b], channel-column-row order (ONNX DepthToSpace, mode CRD). */
    T depthToSpace(T x, int block);

    /** [N, C, H, W] to [N, C]: the mean of each channel over all positions (global average pooling). */
    T meanPool(T x);

    /** [N, ...] to [N, product of the rest]. */
    T flatten(T x);
}
