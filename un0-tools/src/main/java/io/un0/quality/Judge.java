package io.un0.quality;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.un0.engine.EngineOptions;
import io.un0.engine.OnnxModel;
import io.un0.model.ModelManifest;
import io.un0.model.ModelPackage;
import io.un0.model.ModelPackageException;

import java.nio.FloatBuffer;
import java.util.Map;

/** The Fashion-MNIST classifier on ONNX Runtime: predicted classes and penultimate-layer features. */
public final class Judge implements AutoCloseable {

    private static final int CHUNK = 256;

    private final OnnxModel model;
    private final int pixels;
    private final int featureSize;

    /** Predictions and features for a set of images, in order. */
    public record Scores(int[] predicted, double[][] features) {
    }

    public Judge(ModelPackage pkg, EngineOptions options) {
        this.model = OnnxModel.open(pkg, options);
        ModelManifest m = model.manifest();
        if (!ModelManifest.CLASSIFIER.equals(m.kind())) {
            model.close();
            throw new ModelPackageException(pkg.source() + " is a " + m.kind() + ", not a classifier");
        }
        this.pixels = m.imageSize() * m.imageSize();
        this.featureSize = m.outputs().stream().filter(o -> o.name().equals("features")).findFirst()
                .orElseThrow(() -> new ModelPackageException(pkg.source() + " has no 'features' output"))
                .shape().get(1).intValue();
    }

    /** @param images {@code n × pixels} grey levels in [0, 1] */
    public Scores score(float[] images, int n) {
        int[] predicted = new int[n];
        double[][] features = new double[n][];
        try {
            for (int from = 0; from < n; from += CHUNK) {
                int m = Math.min(CHUNK, n - from);
                float[] x = new float[m * pixels];
                for (int i = 0; i < x.length; i++) {
                    x[i] = images[from * pixels + i] * 2f - 1f; // the classifier works in [-1, 1]
                }
                int side = model.manifest().imageSize();
                try (OnnxTensor input = OnnxTensor.createTensor(OnnxModel.environment(), FloatBuffer.wrap(x), new long[] {m, 1, side, side});
                     OrtSession.Result out = model.session().run(Map.of("image", input))) {
                    FloatBuffer logits = ((OnnxTensor) out.get("logits").orElseThrow()).getFloatBuffer();
                    FloatBuffer feats = ((OnnxTensor) out.get("features").orElseThrow()).getFloatBuffer();
                    int classes = logits.capacity() / m;
                    for (int i = 0; i < m; i++) {
                        int best = 0;
                        for (int c = 1; c < classes; c++) {
                            if (logits.get(i * classes + c) > logits.get(i * classes + best)) {
                                best = c;
                            }
                        }
                        predicted[from + i] = best;
                        double[] f = new double[featureSize];
                        for (int j = 0; j < featureSize; j++) {
                            f[j] = feats.get(i * featureSize + j);
                        }
                        features[from + i] = f;
                    }
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("classifier failed: " + e.getMessage(), e);
        }
        return new Scores(predicted, features);
    }

    @Override
    public void close() {
        model.close();
    }
}
