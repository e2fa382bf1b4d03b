package io.un0.train.cli;

import io.un0.cli.Un0Cli;
import io.un0.data.FashionMnist;
import io.un0.engine.EngineOptions;
import io.un0.engine.GeneratedImage;
import io.un0.engine.Un0Engine;
import io.un0.model.ModelManifest;
import io.un0.model.ModelPackage;
import io.un0.model.Velocity;
import io.un0.train.net.HostTensor;
import io.un0.train.net.ParameterFile;
import io.un0.train.onnx.OnnxWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Train (a few steps) → checkpoint → fp32 and int8 packages → ONNX Runtime → PNG, through the real command line. */
class SmokeTrainingTest {

    @BeforeAll
    static void needsData() {
        assumeTrue(FashionMnist.isInstalled(FashionMnist.defaultDir()),
                "Fashion-MNIST is not installed at " + FashionMnist.defaultDir() + ": run scripts/setup.sh");
    }

    @Test
    void trainsExportsServesAndResumes(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("ck");
        Path packages = dir.resolve("packages");
        String[] train = {"train", "--smoke", "--checkpoints", checkpoints.toString(), "--packages", packages.toString(),
                "--calibration-images", "8"};
        assertEquals(0, Un0Cli.run(new Un0TrainCli(), train));

        for (String name : List.of(ModelPackage.GENERATOR_FP32, ModelPackage.GENERATOR_INT8)) {
            ModelPackage pkg = ModelPackage.load(packages.resolve(name));
            assertEquals(ModelManifest.GENERATOR, pkg.manifest().kind());
            assertTrue(pkg.manifest().flopsPerEvaluation() > 0);
            assertTrue(pkg.manifest().dataset().get("train_sha256").length() == 64);
            try (Un0Engine engine = Un0Engine.open(pkg, EngineOptions.cpu(1))) {
                List<GeneratedImage> images = engine.generate(new int[] {1, 2}, new long[] {3, 4}, 2);
                assertEquals(2, images.size());
            }
        }
        byte[] firstModel = Files.readAllBytes(packages.resolve(ModelPackage.GENERATOR_FP32).resolve(ModelPackage.MODEL_FILE));

        // The same seed and settings resume at the last step and export the same weights.
        assertEquals(0, Un0Cli.run(new Un0TrainCli(), train));
        assertArrayEquals(firstModel, Files.readAllBytes(packages.resolve(ModelPackage.GENERATOR_FP32).resolve(ModelPackage.MODEL_FILE)));
        assertEquals(6f, ParameterFile.read(checkpoints.resolve("checkpoint.bin")).get("meta/step").data()[0]);

        // Exporting the checkpoint as it stands gives the same graph as the end of training.
        Path exported = dir.resolve("exported");
        assertEquals(0, Un0Cli.run(new Un0TrainCli(), "train", "--smoke", "--export-only", "--checkpoints", checkpoints.toString(),
                "--packages", exported.toString(), "--calibration-images", "8"));
        assertArrayEquals(firstModel, Files.readAllBytes(exported.resolve(ModelPackage.GENERATOR_FP32).resolve(ModelPackage.MODEL_FILE)));

        Path png = dir.resolve("sneakers.png");
        assertEquals(0, Un0Cli.run(new Un0TrainCli(), "generate", "--class", "sneaker", "--count", "4", "--steps", "1",
                "--packages", packages.toString(), "--out", png.toString()));
        assertTrue(Files.size(png) > 100);
    }

    @Test
    void theFlowMatchingBaselineTrainsAndIsSampledAsAnInstantaneousVelocity(@TempDir Path dir) throws Exception {
        Path packages = dir.resolve("packages");
        assertEquals(0, Un0Cli.run(new Un0TrainCli(), "train", "--smoke", "--objective", "flow-matching", "--checkpoints",
                dir.resolve("ck").toString(), "--packages", packages.toString(), "--calibration-images", "4"));
        for (String precision : List.of("-fp32", "-int8")) {
            ModelManifest m = ModelPackage.load(packages.resolve(ModelPackage.BASELINE_MODEL + precision)).manifest();
            assertEquals(Velocity.INSTANTANEOUS, m.predicts());
            assertTrue(m.training().get("objective").toString().startsWith("conditional flow matching"), m.training().toString());
        }
        // The engine tells such a network d = 0: the same weights read as an average velocity give other images.
        Path baseline = packages.resolve(ModelPackage.BASELINE_MODEL + "-fp32");
        Path misread = dir.resolve("misread");
        Files.createDirectories(misread);
        Files.copy(baseline.resolve(ModelPackage.MODEL_FILE), misread.resolve(ModelPackage.MODEL_FILE));
        Files.writeString(misread.resolve(ModelPackage.MANIFEST_FILE),
                Files.readString(baseline.resolve(ModelPackage.MANIFEST_FILE)).replace("\"instantaneous\"", "\"average\""));
        assertEquals(Velocity.AVERAGE, ModelPackage.load(misread).manifest().predicts());
        try (Un0Engine right = Un0Engine.open(ModelPackage.load(baseline), EngineOptions.cpu(1));
             Un0Engine wrong = Un0Engine.open(ModelPackage.load(misread), EngineOptions.cpu(1))) {
            float[] a = right.generate(new int[] {3}, new long[] {9}, 4).get(0).pixels();
            float[] b = wrong.generate(new int[] {3}, new long[] {9}, 4).get(0).pixels();
            assertFalse(java.util.Arrays.equals(a, b));
        }
        Path sheet = dir.resolve("baseline-heun.png");
        assertEquals(0, Un0Cli.run(new Un0TrainCli(), "generate", "--model", ModelPackage.BASELINE_MODEL, "--solver", "heun", "--steps", "2",
                "--packages", packages.toString(), "--class", "bag", "--count", "4", "--out", sheet.toString()));
        assertTrue(Files.size(sheet) > 0);
        assertEquals(2, Un0Cli.run(new Un0TrainCli(), "train", "--smoke", "--objective", "mean-flow", "--checkpoints",
                dir.resolve("ck2").toString(), "--packages", packages.toString()));
    }

    /** Reflow trains Un-0's network on a teacher's pairs (here the shipped Un-0 itself), saved for a resumed run. */
    @Test
    void reflowTrainsOnATeachersPairsAndKeepsThemForTheSameSpecOnly(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("ck");
        Path packages = dir.resolve("packages");
        List<String> args = List.of("train", "--smoke", "--objective", "reflow", "--teacher", ModelPackage.GENERATOR_FP32,
                "--teacher-solver", "euler", "--teacher-steps", "2", "--pairs", "24", "--checkpoints", checkpoints.toString(),
                "--packages", packages.toString(), "--calibration-images", "4");
        assertEquals(0, Un0Cli.run(new Un0TrainCli(), args.toArray(String[]::new)));
        ModelManifest m = ModelPackage.load(packages.resolve(ModelPackage.GENERATOR_FP32)).manifest();
        assertEquals(Velocity.AVERAGE, m.predicts());
        assertTrue(m.training().get("objective").toString().startsWith("reflow"), m.training().toString());
        assertTrue(m.training().get("teacher_pairs").toString().contains("un0-fmnist-fp32"), m.training().toString());
        assertTrue(Files.exists(checkpoints.resolve("pairs.bin")));
        // Other teacher settings would silently train on pairs they did not make: refused, naming both.
        List<String> other = new ArrayList<>(args);
        other.set(other.indexOf("2"), "4");
        assertEquals(2, Un0Cli.run(new Un0TrainCli(), other.toArray(String[]::new)));
        // Exporting the checkpoint again needs no pairs: the weights are all it reads.
        Path exported = dir.resolve("exported");
        assertEquals(0, Un0Cli.run(new Un0TrainCli(), "train", "--smoke", "--objective", "reflow", "--export-only",
                "--checkpoints", checkpoints.toString(), "--packages", exported.toString(), "--calibration-images", "4"));
        assertArrayEquals(Files.readAllBytes(packages.resolve(ModelPackage.GENERATOR_FP32).resolve(ModelPackage.MODEL_FILE)),
                Files.readAllBytes(exported.resolve(ModelPackage.GENERATOR_FP32).resolve(ModelPackage.MODEL_FILE)));
        assertEquals(m.training().get("teacher_pairs"),
                ModelPackage.load(exported.resolve(ModelPackage.GENERATOR_FP32)).manifest().training().get("teacher_pairs"));
    }

    /**
     * The adversarial objective trains a critic beside the generator on the teacher's pairs and real images; the critic
     * is kept in the checkpoint, for a resumed run goes on with it, and a resume with another weight is refused.
     */
    @Test
    void adversarialTrainsACriticBesideTheGeneratorAndKeepsItInTheCheckpoint(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("ck");
        Path packages = dir.resolve("packages");
        List<String> args = List.of("train", "--smoke", "--objective", "adversarial", "--teacher", ModelPackage.GENERATOR_FP32,
                "--teacher-solver", "euler", "--teacher-steps", "2", "--pairs", "24", "--checkpoints", checkpoints.toString(),
                "--packages", packages.toString(), "--calibration-images", "4");
        assertEquals(0, Un0Cli.run(new Un0TrainCli(), args.toArray(String[]::new)));
        ModelManifest m = ModelPackage.load(packages.resolve(ModelPackage.GENERATOR_FP32)).manifest();
        assertEquals(Velocity.AVERAGE, m.predicts());
        assertTrue(m.training().get("objective").toString().contains("critic"), m.training().toString());
        Map<String, HostTensor> state = ParameterFile.read(checkpoints.resolve("checkpoint.bin"));
        assertTrue(state.keySet().stream().anyMatch(k -> k.startsWith("critic.param/conv1")), state.keySet().toString());
        assertTrue(state.keySet().stream().anyMatch(k -> k.startsWith("critic.adam.m/")), state.keySet().toString());
        // The critic's state is not the generator's: no generator weight is exported from it.
        assertTrue(OnnxWeights.read(Files.readAllBytes(packages.resolve(ModelPackage.GENERATOR_FP32).resolve(ModelPackage.MODEL_FILE)))
                .keySet().stream().noneMatch(k -> k.startsWith("critic")));
        List<String> otherWeight = new ArrayList<>(args);
        otherWeight.addAll(List.of("--adversarial-weight", "0.25"));
        assertEquals(2, Un0Cli.run(new Un0TrainCli(), otherWeight.toArray(String[]::new)));

        // A later part starts its critic from this one: at learning rate 0 its checkpoint holds exactly those weights.
        Path later = dir.resolve("later");
        List<String> part2 = new ArrayList<>(args.subList(0, args.indexOf("--checkpoints")));
        part2.addAll(List.of("--checkpoints", later.toString(), "--packages", dir.resolve("packages2").toString(),
                "--calibration-images", "4", "--learning-rate", "0", "--critic-from", checkpoints.toString()));
        assertEquals(0, Un0Cli.run(new Un0TrainCli(), part2.toArray(String[]::new)));
        Map<String, HostTensor> continued = ParameterFile.read(later.resolve("checkpoint.bin"));
        state.keySet().stream().filter(k -> k.startsWith("critic.param/")).forEach(k ->
                assertArrayEquals(state.get(k).data(), continued.get(k).data(), k));
        // Only an adversarial run has a critic to start from.
        Path reflow = dir.resolve("reflow");
        assertEquals(0, Un0Cli.run(new Un0TrainCli(), "train", "--smoke", "--steps", "1", "--checkpoints", reflow.toString(),
                "--packages", dir.resolve("packages3").toString(), "--calibration-images", "4"));
        List<String> wrongSource = new ArrayList<>(part2);
        wrongSource.set(wrongSource.indexOf(checkpoints.toString()), reflow.toString());
        wrongSource.set(wrongSource.indexOf(later.toString()), dir.resolve("later2").toString());
        assertEquals(2, Un0Cli.run(new Un0TrainCli(), wrongSource.toArray(String[]::new)));
    }

    /** A run may start from a trained package's weights: at learning rate 0 it exports exactly those. */
    @Test
    void aRunStartsFromAnFp32PackagesWeights(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first");
        assertEquals(0, Un0Cli.run(new Un0TrainCli(), "train", "--smoke", "--steps", "2", "--checkpoints", dir.resolve("ck1").toString(),
                "--packages", first.toString(), "--calibration-images", "4"));
        Path start = first.resolve(ModelPackage.GENERATOR_FP32);
        Path second = dir.resolve("second");
        assertEquals(0, Un0Cli.run(new Un0TrainCli(), "train", "--smoke", "--steps", "2", "--learning-rate", "0", "--start-from",
                start.toString(), "--checkpoints", dir.resolve("ck2").toString(), "--packages", second.toString(), "--calibration-images", "4"));
        Map<String, HostTensor> started = OnnxWeights.read(Files.readAllBytes(start.resolve(ModelPackage.MODEL_FILE)));
        Map<String, HostTensor> ended = OnnxWeights.read(Files.readAllBytes(second.resolve(ModelPackage.GENERATOR_FP32).resolve(ModelPackage.MODEL_FILE)));
        assertFalse(started.isEmpty());
        assertEquals(started.keySet(), ended.keySet());
        started.forEach((name, w) -> assertArrayEquals(w.data(), ended.get(name).data(), 1e-6f, name));
        Map<String, Object> training = ModelPackage.load(second.resolve(ModelPackage.GENERATOR_FP32)).manifest().training();
        assertTrue(training.get("config").toString().contains(start.toString()), training.toString());
        assertTrue(training.get("started_from").toString().contains("model_sha256"), training.toString());
        // An export reads the start from the checkpoint, as the run read it, not from whatever the name points at now.
        Path exported = dir.resolve("exported");
        assertEquals(0, Un0Cli.run(new Un0TrainCli(), "train", "--smoke", "--steps", "2", "--learning-rate", "0", "--start-from",
                start.toString(), "--export-only", "--checkpoints", dir.resolve("ck2").toString(), "--packages", exported.toString(),
                "--calibration-images", "4"));
        assertEquals(training.get("started_from"),
                ModelPackage.load(exported.resolve(ModelPackage.GENERATOR_FP32)).manifest().training().get("started_from"));
        // The int8 package's weights are not the network's floats: refused.
        assertEquals(2, Un0Cli.run(new Un0TrainCli(), "train", "--smoke", "--start-from", first.resolve(ModelPackage.GENERATOR_INT8).toString(),
                "--checkpoints", dir.resolve("ck3").toString(), "--packages", dir.resolve("third").toString()));
    }

    @Test
    void theSameSeedGivesTheSameWeights(@TempDir Path dir) throws Exception {
        for (String run : List.of("a", "b")) {
            assertEquals(0, Un0Cli.run(new Un0TrainCli(), "train", "--smoke", "--steps", "3", "--checkpoints",
                    dir.resolve(run).toString(), "--packages", dir.resolve(run + "-packages").toString(), "--calibration-images", "4"));
        }
        Path model = Path.of(ModelPackage.GENERATOR_FP32, ModelPackage.MODEL_FILE);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a-packages").resolve(model)),
                Files.readAllBytes(dir.resolve("b-packages").resolve(model)));
    }

    /**
     * Reading memory that was never written (an uninitialised array) is one way a trainer goes wrong on one CPU and
     * not another. With PyTorch filling every fresh tensor with NaN, such a read would turn the loss NaN; the run
     * must instead give exactly the weights of a normal run.
     */
    @Test
    void trainingReadsNoMemoryItDidNotWrite(@TempDir Path dir) throws Exception {
        for (String run : List.of("plain", "poisoned")) {
            List<String> args = new ArrayList<>(List.of("train", "--smoke", "--steps", "2", "--checkpoints",
                    dir.resolve(run).toString(), "--packages", dir.resolve(run + "-packages").toString(), "--calibration-images", "4"));
            if (run.equals("poisoned")) {
                args.add("--debug-poison-fresh-memory");
            }
            assertEquals(0, Un0Cli.run(new Un0TrainCli(), args.toArray(String[]::new)));
        }
        Path model = Path.of(ModelPackage.GENERATOR_FP32, ModelPackage.MODEL_FILE);
        assertArrayEquals(Files.readAllBytes(dir.resolve("plain-packages").resolve(model)),
                Files.readAllBytes(dir.resolve("poisoned-packages").resolve(model)));
    }

    @Test
    void badCommandLineInputGetsAMessageNotAStackTrace(@TempDir Path dir) {
        assertEquals(2, Un0Cli.run(new Un0TrainCli(), "train", "--smoke", "--data", dir.toString(), "--checkpoints", dir.toString()));
        assertEquals(2, Un0Cli.run(new Un0TrainCli(), "generate", "--class", "unicorn", "--out", dir.resolve("x.png").toString()));
        assertEquals(2, Un0Cli.run(new Un0TrainCli(), "generate", "--class", "bag", "--steps", "3", "--out", dir.resolve("x.png").toString()));
        // Un-0 predicts the average velocity over a step: Heun does not apply; an unknown solver is named.
        assertEquals(2, Un0Cli.run(new Un0TrainCli(), "generate", "--class", "bag", "--solver", "heun", "--out", dir.resolve("x.png").toString()));
        assertEquals(2, Un0Cli.run(new Un0TrainCli(), "generate", "--class", "bag", "--solver", "rk4", "--out", dir.resolve("x.png").toString()));
    }
}
