package io.un0.train.cli;

import io.un0.cli.DataSelection;
import io.un0.data.FashionMnist;
import io.un0.model.ModelPackage;
import io.un0.train.net.JudgeNet;
import io.un0.train.onnx.PackageWriter;
import io.un0.train.trainer.JudgeTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code un0 train-judge}: trains the judge behind fidelity, FD, precision and recall and writes its package. */
@Command(name = "train-judge", mixinStandardHelpOptions = true,
        description = "Train the Fashion-MNIST classifier that judges the generators (class fidelity, FD, precision, recall).")
public final class TrainJudgeCommand implements Callable<Integer> {

    @Option(names = "--seed", defaultValue = "20261125")
    long seed;

    @Option(names = "--epochs", defaultValue = "12", description = "Passes over the training images; the shipped judge had 12 (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--limit", defaultValue = "60000", description = "Train on the first N images only (smoke runs); the last "
            + JudgeTrainer.VALIDATION + " training images are always held out.")
    int limit;

    @Option(names = "--packages", defaultValue = "un0/src/main/resources/un0/packages")
    Path packages;

    @Mixin
    DataSelection data;

    @Override
    public Integer call() throws Exception {
        FashionMnist train = data.load(FashionMnist.Split.TRAIN);
        FashionMnist test = data.load(FashionMnist.Split.TEST);
        JudgeNet net = JudgeNet.standard();
        System.err.printf("training the judge: %d epochs, seed %d%n", epochs, seed);
        int batch = 128;
        JudgeTrainer.Result result = new JudgeTrainer(net, seed, epochs, batch, System.err).train(train, test, limit);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("objective", "cross-entropy, Adam (cosine learning rate from 2e-3), random shifts of up to 2 pixels, mirror images");
        training.put("seed", seed);
        training.put("epochs", epochs);
        training.put("batch", batch);
        training.put("train_images", result.trainImages());
        training.put("held_out_training_images", JudgeTrainer.VALIDATION);
        training.put("held_out_accuracy_djl", result.validationAccuracy());
        training.put("wall_seconds", result.seconds());
        training.put("test_accuracy_djl", result.testAccuracy());
        PackageWriter.writeJudge(packages.resolve(ModelPackage.JUDGE), ModelPackage.JUDGE, net, result.weights(), training,
                Map.of("name", "fashion-mnist (Debian dataset-fashion-mnist)", "train_sha256", train.sha256(), "test_sha256", test.sha256()));
        System.err.println("wrote " + packages.resolve(ModelPackage.JUDGE));
        return 0;
    }
}
