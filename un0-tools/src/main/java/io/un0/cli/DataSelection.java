package io.un0.cli;

import io.un0.data.FashionMnist;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --data} option of every command that reads Fashion-MNIST. */
public final class DataSelection {

    @Option(names = "--data", description = "Fashion-MNIST folder (default: $UN0_FASHION_MNIST_DIR or /usr/share/datasets/fashion-mnist).")
    Path data;

    public FashionMnist load(FashionMnist.Split split) {
        return FashionMnist.load(data != null ? data : FashionMnist.defaultDir(), split);
    }
}
