package io.un0.train.cli;

import io.un0.cli.DataSelection;
import io.un0.data.FashionMnist;
import io.un0.train.net.ClassifierNet;
import io.un0.train.onnx.PackageWriter;
import io.un0.train.trainer.ClassifierTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code un0 train-classifier}: trains the judge behind fidelity and FD-FMNIST and writes its package. */
@Command(name = "train-classifier", mixinStandardHelpOptions = true,
        description = "Train the Fashion-MNIST classifier used to measure class fidelity and FD-FMNIST.")
public final class TrainClassifierCommand implements Callable<Integer> {

    @Option(names = "--seed", defaultValue = "20261125")
    long seed;

    @Option(names = "--epochs", defaultValue = "4")
    int epochs;

    @Option(names = "--limit", defaultValue = "60000", description = "Train on the first N images only (smoke runs).")
    int limit;

    @Option(names = "--packages", defaultValue = "un0/src/main/resources/un0/packages")
    Path packages;

    @Mixin
    DataSelection data;

    @Override
    public Integer call() throws Exception {
        FashionMnist train = data.load(FashionMnist.Split.TRAIN);
        FashionMnist test = data.load(FashionMnist.Split.TEST);
        ClassifierNet net = ClassifierNet.standard();
        int batch = 128;
        ClassifierTrainer.Result result = new ClassifierTrainer(net, seed, epochs, batch, System.err).train(train, test, limit);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("objective", "cross-entropy, Adam, one-pixel random shifts");
        training.put("seed", seed);
        training.put("epochs", epochs);
        training.put("batch", batch);
        training.put("train_images", Math.min(limit, train.count()));
        training.put("wall_seconds", result.seconds());
        training.put("test_accuracy_djl", result.testAccuracy());
        PackageWriter.writeClassifier(packages.resolve("fmnist-classifier"), "fmnist-classifier", net, result.weights(), training,
                Map.of("name", "fashion-mnist (Debian dataset-fashion-mnist)", "train_sha256", train.sha256(), "test_sha256", test.sha256()));
        System.err.println("wrote " + packages.resolve("fmnist-classifier"));
        return 0;
    }
}
