package io.un0.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.un0.engine.EngineOptions;
import io.un0.engine.Un0Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a package can be broken gives a precise error before the runtime sees a request. */
class ModelPackageTest {

    private static Path copyOfShipped(Path dir) throws IOException {
        ModelPackage shipped = ModelPackage.bundled(ModelPackage.GENERATOR_FP32);
        Files.write(dir.resolve(ModelPackage.MODEL_FILE), shipped.model());
        ModelPackage.JSON.writeValue(dir.resolve(ModelPackage.MANIFEST_FILE).toFile(), shipped.manifest());
        return dir;
    }

    private static String openFails(Path dir) {
        return assertThrows(ModelPackageException.class, () -> Un0Engine.open(ModelPackage.load(dir), EngineOptions.cpu(1))).getMessage();
    }

    @Test
    void aCopyOfTheShippedPackageOpens(@TempDir Path dir) throws IOException {
        Un0Engine.open(ModelPackage.load(copyOfShipped(dir)), EngineOptions.cpu(1)).close();
    }

    @Test
    void missingModelFileIsNamed(@TempDir Path dir) throws IOException {
        Files.delete(copyOfShipped(dir).resolve(ModelPackage.MODEL_FILE));
        String m = openFails(dir);
        assertTrue(m.contains("has no model.onnx") && m.contains(dir.toString()), m);
    }

    @Test
    void corruptModelFileIsReportedAsSuch(@TempDir Path dir) throws IOException {
        Files.write(copyOfShipped(dir).resolve(ModelPackage.MODEL_FILE), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        String m = openFails(dir);
        assertTrue(m.contains("corrupt or not a valid ONNX graph"), m);
    }

    @Test
    void truncatedModelFileIsReportedAsCorrupt(@TempDir Path dir) throws IOException {
        Path model = copyOfShipped(dir).resolve(ModelPackage.MODEL_FILE);
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertTrue(openFails(dir).contains("corrupt"));
    }

    @Test
    void unreadableManifestIsReported(@TempDir Path dir) throws IOException {
        Files.writeString(copyOfShipped(dir).resolve(ModelPackage.MANIFEST_FILE), "{ not json");
        String m = openFails(dir);
        assertTrue(m.contains("is not a valid manifest"), m);
    }

    @Test
    void manifestWithWrongShapeDoesNotMatchTheGraph(@TempDir Path dir) throws IOException {
        Path manifest = copyOfShipped(dir).resolve(ModelPackage.MANIFEST_FILE);
        ObjectNode json = (ObjectNode) ModelPackage.JSON.readTree(manifest.toFile());
        ((ArrayNode) json.get("inputs").get(0).get("shape")).set(2, 32);
        ModelPackage.JSON.writeValue(manifest.toFile(), json);
        String m = openFails(dir);
        assertTrue(m.contains("does not match the graph") && m.contains("input 'x'") && m.contains("[-1, 1, 32, 28]"), m);
    }

    @Test
    void manifestWithWrongInputNameDoesNotMatchTheGraph(@TempDir Path dir) throws IOException {
        Path manifest = copyOfShipped(dir).resolve(ModelPackage.MANIFEST_FILE);
        ObjectNode json = (ObjectNode) ModelPackage.JSON.readTree(manifest.toFile());
        ((ObjectNode) json.get("inputs").get(1)).put("name", "class");
        ModelPackage.JSON.writeValue(manifest.toFile(), json);
        String m = openFails(dir);
        assertTrue(m.contains("does not match the graph") && m.contains("class"), m);
    }

    @Test
    void classifierIsNotAGenerator() {
        String m = assertThrows(ModelPackageException.class,
                () -> Un0Engine.open(ModelPackage.bundled(ModelPackage.JUDGE), EngineOptions.cpu(1))).getMessage();
        assertTrue(m.contains("not a generator"), m);
    }

    @Test
    void unknownPackageNameListsTheBundledOnes() {
        String m = assertThrows(ModelPackageException.class, () -> ModelPackage.open("no-such-model")).getMessage();
        assertTrue(m.contains(ModelPackage.GENERATOR_FP32), m);
    }
}
