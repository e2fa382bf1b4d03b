package io.un0.train.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.un0.engine.EngineOptions;
import io.un0.engine.OnnxModel;
import io.un0.model.ModelPackage;
import io.un0.model.Velocity;
import io.un0.train.djl.ActivationRanges;
import io.un0.train.djl.DjlOps;
import io.un0.train.djl.DjlParameters;
import io.un0.train.djl.TrainingEngine;
import io.un0.train.net.JudgeNet;
import io.un0.train.net.HostTensor;
import io.un0.train.net.Un0Net;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one network definition gives the same numbers on DJL (training) and on ONNX Runtime (serving). */
class OnnxAgreementTest {

    private static final int N = 3;
    private final Un0Net net = new Un0Net(8, 64, 10);
    private final SplittableRandom random = new SplittableRandom(42);

    private float[] gaussian(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private float[] uniform(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble();
        }
        return v;
    }

    /**
     * Random weights everywhere, biases and norms included, so that no parameter hides behind a zero; scaled by
     * fan-in like a trained network, so activations stay of order one and 1e-4 is a meaningful absolute bound.
     */
    private Map<String, HostTensor> randomWeights(Map<String, HostTensor> shapes) {
        Map<String, HostTensor> w = new java.util.LinkedHashMap<>();
        shapes.forEach((k, v) -> {
            float[] data = gaussian(v.size());
            float scale = v.shape().length > 1 ? (float) (1 / Math.sqrt(v.size() / (double) v.shape()[0])) : 0.2f;
            for (int i = 0; i < data.length; i++) {
                data[i] *= scale;
            }
            w.put(k, new HostTensor(v.shape(), data));
        });
        return w;
    }

    @Test
    void generatorGraphMatchesDjl(@TempDir Path dir) throws Exception {
        float[] x = gaussian(N * 784);
        float[] label = new float[N * 10];
        for (int i = 0; i < N; i++) {
            label[i * 10 + random.nextInt(10)] = 1f;
        }
        float[] t = uniform(N);
        float[] d = {1f, 0.5f, 1f / 128};
        Map<String, HostTensor> weights;
        float[] expected;
        ActivationRanges ranges = new ActivationRanges(1);
        try (NDManager m = TrainingEngine.newManager(); DjlParameters p = new DjlParameters(m, 1, false)) {
            net.forward(new DjlOps(p, m), m.create(x, new Shape(N, 1, 28, 28)), m.create(label, new Shape(N, 10)), m.create(t), m.create(d));
            weights = randomWeights(p.toHost());
            p.load(weights);
            NDArray out = net.forward(new DjlOps(p, m, ranges), m.create(x, new Shape(N, 1, 28, 28)),
                    m.create(label, new Shape(N, 10)), m.create(t), m.create(d));
            expected = out.toFloatArray();
        }
        PackageWriter.writeGenerator(dir.resolve("fp32"), "test", net, Velocity.AVERAGE, weights, null, Map.of(), Map.of());
        float[] actual = runGenerator(dir.resolve("fp32"), x, label, t, d);
        assertClose(expected, actual, 1e-4f);

        PackageWriter.writeGenerator(dir.resolve("int8"), "test", net, Velocity.AVERAGE, weights, new Int8Plan(ranges, Int8Plan.RangeRule.LEAST_SQUARES, Un0Net.IMAGE_CONVOLUTIONS), Map.of(), Map.of());
        float[] quantized = runGenerator(dir.resolve("int8"), x, label, t, d);
        double meanAbs = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            meanAbs += Math.abs(expected[i] - quantized[i]);
            scale += Math.abs(expected[i]);
        }
        assertTrue(meanAbs / scale < 0.1, "int8 output drifts " + meanAbs / scale + " of the fp32 magnitude");
    }

    private static float[] runGenerator(Path pkg, float[] x, float[] label, float[] t, float[] d) throws Exception {
        OrtEnvironment env = OnnxModel.environment();
        try (OnnxModel model = OnnxModel.open(ModelPackage.load(pkg), EngineOptions.cpu(1));
             OnnxTensor xs = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {N, 1, 28, 28});
             OnnxTensor ls = OnnxTensor.createTensor(env, FloatBuffer.wrap(label), new long[] {N, 10});
             OnnxTensor ts = OnnxTensor.createTensor(env, FloatBuffer.wrap(t), new long[] {N});
             OnnxTensor ds = OnnxTensor.createTensor(env, FloatBuffer.wrap(d), new long[] {N});
             OrtSession.Result out = model.session().run(Map.of("x", xs, "label", ls, "t", ts, "d", ds))) {
            FloatBuffer b = ((OnnxTensor) out.get(0)).getFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            return v;
        }
    }

    @Test
    void judgeGraphMatchesDjl(@TempDir Path dir) throws Exception {
        JudgeNet judge = new JudgeNet(10, 8);
        float[] x = gaussian(N * 784);
        float[] logits;
        float[] features;
        Map<String, HostTensor> weights;
        try (NDManager m = TrainingEngine.newManager(); DjlParameters p = new DjlParameters(m, 3, false)) {
            DjlOps ops = new DjlOps(p, m);
            judge.logits(ops, judge.features(ops, m.create(x, new Shape(N, 1, 28, 28))));
            weights = randomWeights(p.toHost());
            p.load(weights);
            NDArray f = judge.features(ops, m.create(x, new Shape(N, 1, 28, 28)));
            features = f.toFloatArray();
            logits = judge.logits(ops, f).toFloatArray();
        }
        PackageWriter.writeJudge(dir, "test-judge", judge, weights, Map.of(), Map.of());
        try (OnnxModel model = OnnxModel.open(ModelPackage.load(dir), EngineOptions.cpu(1));
             OnnxTensor in = OnnxTensor.createTensor(OnnxModel.environment(), FloatBuffer.wrap(x), new long[] {N, 1, 28, 28});
             OrtSession.Result out = model.session().run(Map.of("image", in))) {
            assertClose(logits, toArray(((OnnxTensor) out.get("logits").orElseThrow()).getFloatBuffer()), 1e-4f);
            assertClose(features, toArray(((OnnxTensor) out.get("features").orElseThrow()).getFloatBuffer()), 1e-4f);
        }
    }

    private static float[] toArray(FloatBuffer b) {
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
    }

    private static void assertClose(float[] expected, float[] actual, float tolerance) {
        assertEquals(expected.length, actual.length, "output sizes");
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= tolerance, "largest difference between DJL and ONNX Runtime is " + worst);
    }
}
