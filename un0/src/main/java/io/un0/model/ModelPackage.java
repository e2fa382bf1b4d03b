package io.un0.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.un0.vocabulary.Precision;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model package: {@code model.onnx} and its {@code manifest.json}, from a folder or bundled in this library
 * under {@code un0/packages/<name>/}.
 *
 * @param source where it was read from, for messages
 * @param folder the folder it came from, or null when bundled (figures can then not be written back)
 */
public record ModelPackage(String source, Path folder, ModelManifest manifest, byte[] model) {

    public static final String MODEL_FILE = "model.onnx";
    public static final String MANIFEST_FILE = "manifest.json";
    /** Un-0's model name; its packages' folders add the precision. */
    public static final String UN0_MODEL = "un0-fmnist";
    /** The iterative flow-matching baseline's model name (a benchmark's reference, never served by the mesh). */
    public static final String BASELINE_MODEL = "fm-baseline-fmnist";
    public static final String GENERATOR_FP32 = generator(UN0_MODEL, Precision.FP32);
    public static final String GENERATOR_INT8 = generator(UN0_MODEL, Precision.INT8);
    public static final String JUDGE = "fmnist-judge";
    /** In the {@code un0} jar: Un-0, the judge, and the flow-matching baseline the benchmark compares Un-0 with. */
    public static final List<String> BUNDLED = List.of(GENERATOR_FP32, GENERATOR_INT8, JUDGE,
            generator(BASELINE_MODEL, Precision.FP32), generator(BASELINE_MODEL, Precision.INT8));

    /** The bundled generator package of {@code precision}. */
    public static String generator(Precision precision) {
        return generator(UN0_MODEL, precision);
    }

    /** The package (folder) name of a generator model ({@link #UN0_MODEL}, {@link #BASELINE_MODEL}) at a precision. */
    public static String generator(String model, Precision precision) {
        return model + "-" + precision.configName();
    }
    /** Where the shipped packages live in a checkout; commands read and update them there when it exists. */
    public static final Path SOURCE_FOLDER = Path.of("un0/src/main/resources/un0/packages");

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A folder if {@code nameOrFolder} is one, else the bundled package of that name. */
    public static ModelPackage open(String nameOrFolder) {
        Path p = Path.of(nameOrFolder);
        if (Files.isDirectory(p)) {
            return load(p);
        }
        if (BUNDLED.contains(nameOrFolder)) {
            return Files.isDirectory(SOURCE_FOLDER.resolve(nameOrFolder)) ? load(SOURCE_FOLDER.resolve(nameOrFolder)) : bundled(nameOrFolder);
        }
        throw new ModelPackageException("no model package '" + nameOrFolder + "': give a folder holding " + MODEL_FILE
                + " and " + MANIFEST_FILE + ", or one of the bundled packages " + BUNDLED);
    }

    public static ModelPackage load(Path folder) {
        Path manifestFile = folder.resolve(MANIFEST_FILE);
        Path modelFile = folder.resolve(MODEL_FILE);
        for (Path f : List.of(manifestFile, modelFile)) {
            if (!Files.isRegularFile(f)) {
                throw new ModelPackageException("model package " + folder + " has no " + f.getFileName() + " (looked for " + f + ")");
            }
        }
        try {
            return new ModelPackage(folder.toString(), folder, parse(Files.readAllBytes(manifestFile), manifestFile.toString()),
                    Files.readAllBytes(modelFile));
        } catch (IOException e) {
            throw new ModelPackageException("cannot read model package " + folder + ": " + e.getMessage(), e);
        }
    }

    public static ModelPackage bundled(String name) {
        String base = "/un0/packages/" + name + "/";
        try (InputStream manifest = ModelPackage.class.getResourceAsStream(base + MANIFEST_FILE);
             InputStream model = ModelPackage.class.getResourceAsStream(base + MODEL_FILE)) {
            if (manifest == null || model == null) {
                throw new ModelPackageException("bundled model package " + name + " is not on the class path (looked for "
                        + base + MANIFEST_FILE + " and " + base + MODEL_FILE + ")");
            }
            return new ModelPackage("classpath:" + base, null, parse(manifest.readAllBytes(), "classpath:" + base + MANIFEST_FILE),
                    model.readAllBytes());
        } catch (IOException e) {
            throw new ModelPackageException("cannot read bundled model package " + name + ": " + e.getMessage(), e);
        }
    }

    private static ModelManifest parse(byte[] json, String where) {
        ModelManifest m;
        try {
            m = JSON.readValue(json, ModelManifest.class);
        } catch (IOException e) {
            throw new ModelPackageException(where + " is not a valid manifest: " + e.getMessage(), e);
        }
        if (m == null || m.name() == null || m.kind() == null || m.inputs() == null || m.outputs() == null || m.classNames() == null) {
            throw new ModelPackageException(where + " lacks one of the required fields name, kind, inputs, outputs, class_names");
        }
        return m;
    }

    /** Writes the manifest back with more measured figures; only for packages read from a folder. */
    public ModelPackage withFigures(java.util.Map<String, Object> figures) throws IOException {
        ModelManifest updated = manifest.withFigures(figures);
        if (folder != null) {
            JSON.writeValue(folder.resolve(MANIFEST_FILE).toFile(), updated);
        }
        return new ModelPackage(source, folder, updated, model);
    }
}
