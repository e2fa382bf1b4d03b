package io.un0.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json} of a model package: what the graph expects and promises, how it was made, and the
 * figures measured on it. The engine checks the graph against it before serving.
 *
 * @param kind             {@code generator} (inputs x, label, t, d) or {@code classifier} (input image)
 * @param precision        {@code fp32} or {@code int8} (static QDQ: int8 per-channel weights, uint8 activations)
 * @param inputs           graph inputs; a shape's first dimension -1 is the batch
 * @param supportedSteps   sampler steps per image the generator was trained for (empty for a classifier); an
 *                         instantaneous-velocity network also takes any count in between ({@link Velocity#allowsSteps})
 * @param velocity         what a generator predicts (absent: {@link Velocity#AVERAGE}, the packages made before it was written)
 * @param flopsPerEvaluation floating-point operations of one evaluation for one image, counted from the graph
 * @param training         the settings that reproduce the weights
 * @param dataset          the data set and the SHA-256 of its files
 * @param figures          quality and speed measured by {@code un0 eval} and {@code un0 bench}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(String name, String version, String kind, String precision,
                            List<TensorSpec> inputs, List<TensorSpec> outputs,
                            List<String> classNames, int imageSize, int channels, List<Integer> supportedSteps,
                            Velocity velocity, int maxBatch, long parameters, long flopsPerEvaluation,
                            Map<String, Object> training, Map<String, String> dataset, Map<String, Object> figures) {

    public static final String GENERATOR = "generator";
    public static final String CLASSIFIER = "classifier";

    /** A named float tensor and its shape, batch first as -1. */
    public record TensorSpec(String name, List<Long> shape) {
    }

    /** What the generator predicts; a package without the field predates the flow-matching baseline. */
    public Velocity predicts() {
        return velocity == null ? Velocity.AVERAGE : velocity;
    }

    public ModelManifest withFigures(Map<String, Object> more) {
        Map<String, Object> merged = new TreeMap<>(figures == null ? Map.of() : figures);
        merged.putAll(more);
        return new ModelManifest(name, version, kind, precision, inputs, outputs, classNames, imageSize, channels,
                supportedSteps, velocity, maxBatch, parameters, flopsPerEvaluation, training, dataset, merged);
    }
}
