package io.un0.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.un0.model.ModelManifest;
import io.un0.model.ModelPackage;
import io.un0.model.ModelPackageException;
import io.un0.model.Velocity;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Serves a generator on ONNX Runtime. {@code generate} starts each image from Gaussian noise drawn from its own seed
 * (so an image does not depend on what it was batched with) and takes K steps of size 1/K along the predicted
 * velocity. A network that predicts the average velocity over a step (Un-0) is told the step size and takes Euler
 * steps, and K = 1 is Un-0; one that predicts the instantaneous velocity (the flow-matching baseline) is told 0 and
 * takes Euler or Heun steps. Thread-safe.
 */
public final class Un0Engine implements AutoCloseable {

    private final OnnxModel model;
    private final ModelManifest manifest;
    private final int pixels;
    private final int classes;

    private Un0Engine(OnnxModel model) {
        this.model = model;
        this.manifest = model.manifest();
        if (!ModelManifest.GENERATOR.equals(manifest.kind())) {
            model.close();
            throw new ModelPackageException(model.modelPackage().source() + " is a " + manifest.kind() + ", not a generator");
        }
        this.pixels = manifest.imageSize() * manifest.imageSize() * manifest.channels();
        this.classes = manifest.classNames().size();
    }

    public static Un0Engine open(ModelPackage pkg, EngineOptions options) {
        return new Un0Engine(OnnxModel.open(pkg, options));
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public ExecutionProvider provider() {
        return model.provider();
    }

    /** A class by name (case-insensitive, as in the manifest) or by index. */
    public int classIndex(String nameOrIndex) {
        String key = nameOrIndex.trim().toLowerCase(Locale.ROOT);
        int i = manifest.classNames().indexOf(key);
        if (i >= 0) {
            return i;
        }
        try {
            int n = Integer.parseInt(key);
            checkLabel("class", n);
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("class", "unknown class '" + nameOrIndex + "'; known classes are " + manifest.classNames());
        }
    }

    private void checkLabel(String field, int label) {
        if (label < 0 || label >= classes) {
            throw new InvalidRequestException(field, "class " + label + " is out of range 0.." + (classes - 1) + " " + manifest.classNames());
        }
    }

    /** K Euler steps: {@link #generate(int[], long[], int, Solver)} with {@link Solver#EULER}. */
    public List<GeneratedImage> generate(int[] labels, long[] seeds, int steps) {
        return generate(labels, seeds, steps, Solver.EULER);
    }

    /**
     * @param labels one class index per image
     * @param seeds  one noise seed per image; the same seed, class, step count and solver give the same image
     * @param steps  sampler steps per image, as {@link io.un0.model.Velocity#allowsSteps} allows for this network
     * @param solver how each step follows the velocity; Heun only for a network that predicts the instantaneous one
     */
    public List<GeneratedImage> generate(int[] labels, long[] seeds, int steps, Solver solver) {
        validate(labels, seeds, steps, solver);
        int n = labels.length;
        float[] x = new float[n * pixels];
        float[] oneHot = new float[n * classes];
        for (int i = 0; i < n; i++) {
            noise(seeds[i], x, i * pixels, pixels);
            oneHot[i * classes + labels[i]] = 1f;
        }
        float h = 1f / steps;
        float[] sizes = new float[n];
        java.util.Arrays.fill(sizes, manifest.predicts().stepSizeInput(h));
        OrtEnvironment env = OnnxModel.environment();
        try (OnnxTensor label = OnnxTensor.createTensor(env, FloatBuffer.wrap(oneHot), new long[] {n, classes});
             OnnxTensor size = OnnxTensor.createTensor(env, FloatBuffer.wrap(sizes), new long[] {n})) {
            for (int k = 0; k < steps; k++) {
                float[] v = velocity(env, x, k * h, label, size, n);
                if (solver.corrects(k, steps)) {
                    float[] guess = new float[x.length];
                    for (int p = 0; p < x.length; p++) {
                        guess[p] = x[p] + h * v[p];
                    }
                    float[] end = velocity(env, guess, (k + 1) * h, label, size, n);
                    for (int p = 0; p < x.length; p++) {
                        v[p] = 0.5f * (v[p] + end[p]);
                    }
                }
                for (int p = 0; p < x.length; p++) {
                    x[p] += h * v[p];
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + model.modelPackage().source() + ": " + e.getMessage(), e);
        }
        List<GeneratedImage> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] img = new float[pixels];
            for (int p = 0; p < pixels; p++) {
                img[p] = Math.max(0f, Math.min(1f, (x[i * pixels + p] + 1f) / 2f));
            }
            images.add(new GeneratedImage(labels[i], seeds[i], steps, manifest.imageSize(), img));
        }
        return images;
    }

    /**
     * The Gaussian noise an image of seed {@code seed} starts from, written to {@code into[offset, offset + pixels)}: a
     * trainer distilling a generator pairs each of its images with exactly this noise.
     */
    public static void noise(long seed, float[] into, int offset, int pixels) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int p = 0; p < pixels; p++) {
            into[offset + p] = (float) random.nextGaussian();
        }
    }

    /** The network's velocity at (x, t) for the whole batch. */
    private float[] velocity(OrtEnvironment env, float[] x, float t, OnnxTensor label, OnnxTensor size, int n) throws OrtException {
        float[] times = new float[n];
        java.util.Arrays.fill(times, t);
        long s = manifest.imageSize();
        try (OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, manifest.channels(), s, s});
             OnnxTensor time = OnnxTensor.createTensor(env, FloatBuffer.wrap(times), new long[] {n});
             OrtSession.Result out = model.session().run(Map.of("x", xt, "label", label, "t", time, "d", size))) {
            FloatBuffer v = ((OnnxTensor) out.get(0)).getFloatBuffer();
            float[] copy = new float[x.length];
            v.get(copy);
            return copy;
        }
    }

    private void validate(int[] labels, long[] seeds, int steps, Solver solver) {
        if (labels == null || labels.length == 0) {
            throw new InvalidRequestException("labels", "at least one image must be asked for");
        }
        if (labels.length > manifest.maxBatch()) {
            throw new InvalidRequestException("labels", labels.length + " images in one batch is over the limit of " + manifest.maxBatch());
        }
        if (seeds == null || seeds.length != labels.length) {
            throw new InvalidRequestException("seeds", "one seed per image is needed: " + labels.length + " labels, "
                    + (seeds == null ? 0 : seeds.length) + " seeds");
        }
        for (int label : labels) {
            checkLabel("labels", label);
        }
        if (!manifest.predicts().allowsSteps(steps, manifest.supportedSteps())) {
            throw new InvalidRequestException("steps", steps + " steps is not supported; this model takes "
                    + manifest.predicts().allowedSteps(manifest.supportedSteps()));
        }
        if (solver == Solver.HEUN && manifest.predicts() == Velocity.AVERAGE) {
            throw new InvalidRequestException("solver", "heun needs a network that predicts the instantaneous velocity; "
                    + manifest.name() + " predicts the average velocity over each step, so it takes euler steps");
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
