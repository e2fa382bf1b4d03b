package io.un0.gateway.inference;

import io.un0.model.ModelManifest;
import io.un0.model.ModelPackage;
import io.un0.vocabulary.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The models the Open Inference Protocol offers: the generator packages the mesh serves, one per precision
 * ({@code un0-fmnist-fp32}, {@code un0-fmnist-int8}), and the generator by its own name ({@code un0-fmnist}), for
 * which the scheduler chooses the precision as it does for {@code Generate}. Each at its manifest's version.
 */
public record ServedModels(List<ServedModel> models) {

    /** A name a caller may ask for, at one version, pinned to a precision or not. */
    public record ServedModel(String name, String version, Optional<Precision> precision) {
    }

    public ServedModels {
        models = List.copyOf(models);
    }

    public static ServedModels bundled() {
        List<ServedModel> models = new ArrayList<>();
        ModelManifest any = ModelPackage.bundled(ModelPackage.generator(Precision.FP32)).manifest();
        models.add(new ServedModel(any.name(), any.version(), Optional.empty()));
        for (Precision p : Precision.values()) {
            ModelManifest m = ModelPackage.bundled(ModelPackage.generator(p)).manifest();
            models.add(new ServedModel(ModelPackage.generator(p), m.version(), Optional.of(p)));
        }
        return new ServedModels(models);
    }

    /** The model of that name at that version; an empty version is the one served. */
    public Optional<ServedModel> find(String name, String version) {
        return models.stream().filter(m -> m.name().equals(name) && (version.isEmpty() || m.version().equals(version))).findFirst();
    }

    public List<String> names() {
        return models.stream().map(ServedModel::name).toList();
    }
}
