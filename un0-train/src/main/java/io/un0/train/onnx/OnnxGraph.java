package io.un0.train.onnx;

import io.un0.train.net.HostTensor;
import io.un0.train.net.TensorOps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.un0.train.onnx.OnnxMessages.Attribute;

/**
 * Writes a network as an ONNX graph (IR 8, opset 17, dynamic batch), taking parameter values from trained host
 * tensors. Shapes are tracked per sample as nodes are emitted, which also yields the floating-point operation
 * count of one evaluation: a multiply-add counts 2, every other element-wise operation 1.
 */
public final class OnnxGraph implements TensorOps<OnnxValue> {

    private static final float NORM_EPSILON = 1e-5f;

    private final Map<String, HostTensor> weights;
    private final Int8Plan int8;
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private final Map<String, String> constants = new LinkedHashMap<>();
    private int counter;
    private long flops;

    /** @param int8 null for a float graph */
    public OnnxGraph(Map<String, HostTensor> weights, Int8Plan int8) {
        this.weights = weights;
        this.int8 = int8;
    }

    public OnnxValue input(String name, int elemType, int... perSample) {
        inputs.add(OnnxMessages.valueInfo(name, elemType, perSample));
        return new OnnxValue(name, perSample);
    }

    public OnnxValue floatInput(String name, int... perSample) {
        return input(name, OnnxMessages.FLOAT, perSample);
    }

    public void output(OnnxValue value, String name) {
        emit("Identity", List.of(value.name()), name, List.of());
        outputs.add(OnnxMessages.valueInfo(name, OnnxMessages.FLOAT, value.shape()));
    }

    /** Floating-point operations of one network evaluation for one sample. */
    public long flopsPerSample() {
        return flops;
    }

    public byte[] toModel(String graphName, String docString, Map<String, String> metadata) {
        return OnnxMessages.model(OnnxMessages.graph(graphName, nodes, initializers, inputs, outputs), docString, metadata);
    }

    // ---- emission helpers

    private String fresh(String op) {
        return op.toLowerCase() + "_" + (counter++);
    }

    private String emit(String op, List<String> in, String out, List<Attribute> attributes) {
        nodes.add(OnnxMessages.node(out + "_node", op, in, List.of(out), attributes));
        return out;
    }

    private OnnxValue emit(String op, List<String> in, int[] shape, long flopsPerElement, Attribute... attributes) {
        OnnxValue v = new OnnxValue(emit(op, in, fresh(op), List.of(attributes)), shape);
        flops += flopsPerElement * v.elements();
        return v;
    }

    private String initializer(String name, int type, long[] dims, byte[] raw) {
        initializers.add(OnnxMessages.tensor(name, type, dims, raw));
        return name;
    }

    private String floatConstant(float[] values, long... dims) {
        return constants.computeIfAbsent("f" + Arrays.toString(dims) + Arrays.toString(values),
                k -> initializer("const_" + constants.size(), OnnxMessages.FLOAT, dims, OnnxMessages.raw(values)));
    }

    private String longConstant(long... values) {
        return constants.computeIfAbsent("i" + Arrays.toString(values),
                k -> initializer("const_" + constants.size(), OnnxMessages.INT64, new long[] {values.length}, OnnxMessages.raw(values)));
    }

    private HostTensor weight(String name, int... expected) {
        HostTensor t = weights.get(name);
        if (t == null) {
            throw new IllegalStateException("no trained value for parameter " + name);
        }
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalStateException("parameter " + name + " has shape " + Arrays.toString(t.shape())
                    + " but the network asks for " + Arrays.toString(expected));
        }
        return t;
    }

    private String floatWeight(String name, HostTensor t, long... dims) {
        return initializer(name, OnnxMessages.FLOAT, dims, OnnxMessages.raw(t.data()));
    }

    private static long[] dims(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }

    // ---- operations

    @Override
    public OnnxValue conv2d(OnnxValue x, String name, int outChannels, int kernel, int stride, int padding) {
        int in = x.shape()[0];
        HostTensor w = weight(name + ".weight", outChannels, in, kernel, kernel);
        HostTensor b = weight(name + ".bias", outChannels);
        int h = (x.shape()[1] + 2 * padding - kernel) / stride + 1;
        int wd = (x.shape()[2] + 2 * padding - kernel) / stride + 1;
        int[] outShape = {outChannels, h, wd};
        Attribute[] attributes = {
                Attribute.ofInts("kernel_shape", kernel, kernel),
                Attribute.ofInts("strides", stride, stride),
                Attribute.ofInts("pads", padding, padding, padding, padding),
                Attribute.ofInts("dilations", 1, 1),
                Attribute.ofInt("group", 1)};
        long convFlops = 2L * in * kernel * kernel + 1;
        if (int8 == null || !int8.quantises(name)) {
            return emit("Conv", List.of(x.name(), floatWeight(name + ".weight", w, dims(w.shape())),
                    floatWeight(name + ".bias", b, outChannels)), outShape, convFlops, attributes);
        }
        Int8Plan.Affine inQ = int8.input(name);
        Int8Plan.Affine outQ = int8.output(name);
        OnnxValue xq = fakeQuantize(x, name + ".in", inQ);
        String wq = quantizedWeights(name, w, b, inQ.scale(), outChannels, in * kernel * kernel);
        OnnxValue y = emit("Conv", List.of(xq.name(), wq, name + ".bias_dq"), outShape, convFlops, attributes);
        return fakeQuantize(y, name + ".out", outQ);
    }

    /** QuantizeLinear then DequantizeLinear: marks an activation as uint8 so that the runtime can fuse around it. */
    private OnnxValue fakeQuantize(OnnxValue x, String name, Int8Plan.Affine q) {
        String scale = initializer(name + ".scale", OnnxMessages.FLOAT, new long[0], OnnxMessages.raw(new float[] {q.scale()}));
        String zero = initializer(name + ".zero", OnnxMessages.UINT8, new long[0], new byte[] {(byte) q.zeroPoint()});
        String quantized = emit("QuantizeLinear", List.of(x.name(), scale, zero), name + "_q", List.of());
        return new OnnxValue(emit("DequantizeLinear", List.of(quantized, scale, zero), name + "_dq", List.of()), x.shape());
    }

    /**
     * Per-output-channel symmetric int8 weights and the matching int32 bias (scale = input scale × weight
     * scale), each behind a DequantizeLinear. Returns the name of the dequantised weights.
     */
    private String quantizedWeights(String name, HostTensor w, HostTensor b, float inputScale, int outChannels, int perChannel) {
        float[] scales = new float[outChannels];
        byte[] q = new byte[w.size()];
        float[] biasScales = new float[outChannels];
        int[] qb = new int[outChannels];
        for (int o = 0; o < outChannels; o++) {
            float maxAbs = 0;
            for (int i = 0; i < perChannel; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(w.data()[o * perChannel + i]));
            }
            scales[o] = Math.max(maxAbs / 127f, 1e-12f);
            for (int i = 0; i < perChannel; i++) {
                int v = Math.round(w.data()[o * perChannel + i] / scales[o]);
                q[o * perChannel + i] = (byte) Math.max(-127, Math.min(127, v));
            }
            biasScales[o] = inputScale * scales[o];
            qb[o] = Math.round(b.data()[o] / biasScales[o]);
        }
        long[] channel = {outChannels};
        String wScale = initializer(name + ".weight_scale", OnnxMessages.FLOAT, channel, OnnxMessages.raw(scales));
        String wZero = initializer(name + ".weight_zero", OnnxMessages.INT8, channel, new byte[outChannels]);
        String wq = initializer(name + ".weight_q", OnnxMessages.INT8, dims(w.shape()), q);
        String bScale = initializer(name + ".bias_scale", OnnxMessages.FLOAT, channel, OnnxMessages.raw(biasScales));
        String bZero = initializer(name + ".bias_zero", OnnxMessages.INT32, channel, OnnxMessages.raw(new int[outChannels]));
        String bq = initializer(name + ".bias_q", OnnxMessages.INT32, channel, OnnxMessages.raw(qb));
        emit("DequantizeLinear", List.of(bq, bScale, bZero), name + ".bias_dq", List.of(Attribute.ofInt("axis", 0)));
        return emit("DequantizeLinear", List.of(wq, wScale, wZero), name + ".weight_dq", List.of(Attribute.ofInt("axis", 0)));
    }

    @Override
    public OnnxValue linear(OnnxValue x, String name, int outFeatures) {
        int in = x.shape()[0];
        HostTensor w = weight(name + ".weight", outFeatures, in);
        HostTensor b = weight(name + ".bias", outFeatures);
        return emit("Gemm", List.of(x.name(), floatWeight(name + ".weight", w, outFeatures, in), floatWeight(name + ".bias", b, outFeatures)),
                new int[] {outFeatures}, 2L * in + 1, Attribute.ofInt("transB", 1));
    }

    @Override
    public OnnxValue groupNorm(OnnxValue x, String name, int groups) {
        int c = x.shape()[0];
        int perGroup = (int) (x.elements() / groups);
        String gamma = floatWeight(name + ".gamma", weight(name + ".gamma", c), 1, c, 1, 1);
        String beta = floatWeight(name + ".beta", weight(name + ".beta", c), 1, c, 1, 1);
        int[] grouped = {groups, perGroup};
        int[] stats = {groups, 1};
        OnnxValue g = emit("Reshape", List.of(x.name(), longConstant(0, groups, -1)), grouped, 0);
        OnnxValue mean = emit("ReduceMean", List.of(g.name()), stats, perGroup, Attribute.ofInts("axes", 2), Attribute.ofInt("keepdims", 1));
        OnnxValue centred = emit("Sub", List.of(g.name(), mean.name()), grouped, 1);
        OnnxValue squared = emit("Mul", List.of(centred.name(), centred.name()), grouped, 1);
        OnnxValue variance = emit("ReduceMean", List.of(squared.name()), stats, perGroup, Attribute.ofInts("axes", 2), Attribute.ofInt("keepdims", 1));
        OnnxValue padded = emit("Add", List.of(variance.name(), floatConstant(new float[] {NORM_EPSILON})), stats, 1);
        OnnxValue std = emit("Sqrt", List.of(padded.name()), stats, 1);
        OnnxValue normed = emit("Div", List.of(centred.name(), std.name()), grouped, 1);
        long[] back = new long[x.shape().length + 1];
        for (int i = 0; i < x.shape().length; i++) {
            back[i + 1] = x.shape()[i];
        }
        OnnxValue restored = emit("Reshape", List.of(normed.name(), longConstant(back)), x.shape(), 0);
        OnnxValue scaled = emit("Mul", List.of(restored.name(), gamma), x.shape(), 1);
        return emit("Add", List.of(scaled.name(), beta), x.shape(), 1);
    }

    @Override
    public OnnxValue modulate(OnnxValue x, OnnxValue scale, OnnxValue shift) {
        String axes = longConstant(2, 3);
        int[] column = {scale.shape()[0], 1, 1};
        OnnxValue s = emit("Unsqueeze", List.of(scale.name(), axes), column, 0);
        OnnxValue factor = emit("Add", List.of(s.name(), floatConstant(new float[] {1f})), column, 1);
        OnnxValue scaled = emit("Mul", List.of(x.name(), factor.name()), x.shape(), 1);
        OnnxValue b = emit("Unsqueeze", List.of(shift.name(), axes), column, 0);
        return emit("Add", List.of(scaled.name(), b.name()), x.shape(), 1);
    }

    @Override
    public OnnxValue sinusoidal(OnnxValue scalarPerSample, float[] frequencies) {
        int f = frequencies.length;
        OnnxValue column = emit("Unsqueeze", List.of(scalarPerSample.name(), longConstant(1)), new int[] {1}, 0);
        OnnxValue angles = emit("Mul", List.of(column.name(), floatConstant(frequencies, 1, f)), new int[] {f}, 1);
        OnnxValue sin = emit("Sin", List.of(angles.name()), new int[] {f}, 1);
        OnnxValue cos = emit("Cos", List.of(angles.name()), new int[] {f}, 1);
        return emit("Concat", List.of(sin.name(), cos.name()), new int[] {2 * f}, 0, Attribute.ofInt("axis", 1));
    }

    @Override
    public OnnxValue add(OnnxValue a, OnnxValue b) {
        return emit("Add", List.of(a.name(), b.name()), a.shape(), 1);
    }

    @Override
    public OnnxValue silu(OnnxValue x) {
        OnnxValue gate = emit("Sigmoid", List.of(x.name()), x.shape(), 1);
        return emit("Mul", List.of(x.name(), gate.name()), x.shape(), 1);
    }

    @Override
    public OnnxValue relu(OnnxValue x) {
        return emit("Relu", List.of(x.name()), x.shape(), 1);
    }

    @Override
    public OnnxValue concat(OnnxValue a, OnnxValue b) {
        int[] shape = a.shape().clone();
        shape[0] += b.shape()[0];
        return emit("Concat", List.of(a.name(), b.name()), shape, 0, Attribute.ofInt("axis", 1));
    }

    @Override
    public OnnxValue depthToSpace(OnnxValue x, int block) {
        int[] s = x.shape();
        return emit("DepthToSpace", List.of(x.name()), new int[] {s[0] / (block * block), s[1] * block, s[2] * block}, 0,
                Attribute.ofInt("blocksize", block), Attribute.ofString("mode", "CRD"));
    }

    @Override
    public OnnxValue meanPool(OnnxValue x) {
        int[] s = x.shape();
        return emit("ReduceMean", List.of(x.name()), new int[] {s[0]}, (long) s[1] * s[2], Attribute.ofInts("axes", 2, 3),
                Attribute.ofInt("keepdims", 0));
    }

    @Override
    public OnnxValue flatten(OnnxValue x) {
        return emit("Flatten", List.of(x.name()), new int[] {(int) x.elements()}, 0, Attribute.ofInt("axis", 1));
    }
}
