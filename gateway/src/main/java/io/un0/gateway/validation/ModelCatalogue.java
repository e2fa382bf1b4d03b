package io.un0.gateway.validation;

import io.un0.model.ModelManifest;
import io.un0.model.ModelPackage;

import java.util.List;
import java.util.Optional;

/**
 * What the served model offers, from its manifest: class names, step counts, the largest batch. The gateway checks
 * requests against it so that a bad one is refused at the door rather than dead-lettered by a worker.
 */
public record ModelCatalogue(List<String> classNames, List<Integer> supportedSteps, int maxBatch, int imageSize) {

    public ModelCatalogue {
        classNames = List.copyOf(classNames);
        supportedSteps = List.copyOf(supportedSteps);
    }

    /** The bundled generator every worker serves (fp32 and int8 share their classes and steps). */
    public static ModelCatalogue bundled() {
        ModelManifest m = ModelPackage.bundled(ModelPackage.GENERATOR_FP32).manifest();
        return new ModelCatalogue(m.classNames(), m.supportedSteps(), m.maxBatch(), m.imageSize());
    }

    /** The class's name, or its number where the model has no such class. */
    public String className(int classId) {
        return classId < classNames.size() ? classNames.get(classId) : Integer.toString(classId);
    }

    public Optional<Integer> classId(String name) {
        int i = classNames.indexOf(name);
        return i < 0 ? Optional.empty() : Optional.of(i);
    }
}
