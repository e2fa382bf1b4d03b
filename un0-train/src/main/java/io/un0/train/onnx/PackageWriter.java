package io.un0.train.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.un0.data.FashionMnist;
import io.un0.model.ModelManifest;
import io.un0.model.ModelManifest.TensorSpec;
import io.un0.model.Velocity;
import io.un0.train.net.JudgeNet;
import io.un0.train.net.HostTensor;
import io.un0.train.net.Un0Net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes model packages: {@code model.onnx} beside its {@code manifest.json}. */
public final class PackageWriter {

    public static final String MODEL_FILE = "model.onnx";
    public static final String MANIFEST_FILE = "manifest.json";
    public static final List<Integer> STEPS = List.of(1, 2, 4, 8, 16, 32, 64, 128);
    public static final int MAX_BATCH = 256;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int SIDE = FashionMnist.SIDE;

    private PackageWriter() {
    }

    /**
     * @param velocity what the network was trained to predict, which tells the engine how to sample it
     * @param int8     null for fp32
     */
    public static ModelManifest writeGenerator(Path dir, String name, Un0Net net, Velocity velocity, Map<String, HostTensor> weights,
                                               Int8Plan int8, Map<String, Object> training, Map<String, String> dataset) throws IOException {
        requireFinite(dir, weights);
        OnnxGraph graph = new OnnxGraph(weights, int8);
        OnnxValue x = graph.floatInput("x", 1, SIDE, SIDE);
        OnnxValue label = graph.floatInput("label", net.classes());
        OnnxValue t = graph.floatInput("t");
        OnnxValue d = graph.floatInput("d");
        graph.output(net.forward(graph, x, label, t, d), "velocity");
        ModelManifest manifest = new ModelManifest(name, "1.0.0", ModelManifest.GENERATOR, int8 == null ? "fp32" : "int8",
                List.of(spec("x", 1, SIDE, SIDE), spec("label", net.classes()), spec("t"), spec("d")),
                List.of(spec("velocity", 1, SIDE, SIDE)),
                FashionMnist.CLASS_NAMES, SIDE, 1, STEPS, velocity, MAX_BATCH, count(weights), graph.flopsPerSample(),
                training, dataset, null);
        write(dir, graph.toModel(name, velocity == Velocity.AVERAGE ? "Un-0 one-step generator (shortcut model), Fashion-MNIST"
                        : "Iterative flow-matching baseline, Fashion-MNIST",
                Map.of("un0.kind", ModelManifest.GENERATOR)), manifest);
        return manifest;
    }

    public static ModelManifest writeJudge(Path dir, String name, JudgeNet net, Map<String, HostTensor> weights,
                                                Map<String, Object> training, Map<String, String> dataset) throws IOException {
        requireFinite(dir, weights);
        OnnxGraph graph = new OnnxGraph(weights, null);
        OnnxValue image = graph.floatInput("image", 1, SIDE, SIDE);
        OnnxValue features = net.features(graph, image);
        graph.output(net.logits(graph, features), "logits");
        graph.output(features, "features");
        ModelManifest manifest = new ModelManifest(name, "1.0.0", ModelManifest.CLASSIFIER, "fp32",
                List.of(spec("image", 1, SIDE, SIDE)), List.of(spec("logits", net.classes()), spec("features", net.features())),
                FashionMnist.CLASS_NAMES, SIDE, 1, List.of(), null, MAX_BATCH, count(weights), graph.flopsPerSample(),
                training, dataset, null);
        write(dir, graph.toModel(name, "Fashion-MNIST classifier: judge of class fidelity and FD-FMNIST features",
                Map.of("un0.kind", ModelManifest.CLASSIFIER)), manifest);
        return manifest;
    }

    /** A package never carries a NaN or an infinity: ONNX Runtime would serve it without a word. */
    private static void requireFinite(Path dir, Map<String, HostTensor> weights) {
        weights.forEach((name, w) -> {
            int bad = 0;
            int first = -1;
            for (int i = 0; i < w.size(); i++) {
                if (!Float.isFinite(w.data()[i])) {
                    first = bad++ == 0 ? i : first;
                }
            }
            if (bad > 0) {
                throw new IllegalArgumentException(String.format("refusing to write %s: weight '%s' holds %,d non-finite"
                        + " values of %,d (the first at index %d)", dir, name, bad, w.size(), first));
            }
        });
    }

    private static TensorSpec spec(String name, long... perSample) {
        Long[] shape = new Long[perSample.length + 1];
        shape[0] = -1L;
        for (int i = 0; i < perSample.length; i++) {
            shape[i + 1] = perSample[i];
        }
        return new TensorSpec(name, List.of(shape));
    }

    private static long count(Map<String, HostTensor> weights) {
        return weights.values().stream().mapToLong(HostTensor::size).sum();
    }

    private static void write(Path dir, byte[] model, ModelManifest manifest) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(MODEL_FILE), model);
        JSON.writeValue(dir.resolve(MANIFEST_FILE).toFile(), manifest);
    }
}
