package io.un0.cli;

import io.un0.engine.GeneratedImage;
import io.un0.engine.Solver;
import io.un0.engine.Un0Engine;
import io.un0.image.Png;
import io.un0.model.ModelPackage;
import io.un0.vocabulary.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code un0 generate --class sneaker --count 16 --steps 1 --out sneakers.png} */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate images of one class into a PNG contact sheet.")
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--class", required = true, description = "Class name (t-shirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle-boot) or index.")
    String className;

    @Option(names = "--count", defaultValue = "16")
    int count;

    @Option(names = "--steps", defaultValue = "1", description = "Sampler steps per image: 1 (Un-0) or 2, 4, ..., 128.")
    int steps;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the first image; image i uses seed + i.")
    long seed;

    @Option(names = "--precision", defaultValue = "fp32", description = "fp32 or int8.")
    String precision;

    @Option(names = "--model", defaultValue = ModelPackage.UN0_MODEL,
            description = "un0-fmnist (Un-0), or fm-baseline-fmnist (the flow-matching baseline, once `un0 train --objective flow-matching` has written it; give --packages)"
                    + " (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--solver", defaultValue = "euler",
            description = "euler, or heun (2K - 1 evaluations for K steps; the last step is Euler's) for a network that predicts the instantaneous velocity: the baseline (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--out", required = true, description = "PNG file for the contact sheet.")
    Path out;

    @Option(names = "--each", description = "Also write every image as its own PNG into this folder.")
    Path each;

    @Mixin
    EngineSelection engine;

    @Override
    public Integer call() throws Exception {
        Solver chosen = Solver.parse(solver);
        String name = ModelPackage.generator(model, Precision.parse(precision));
        try (Un0Engine un0 = Un0Engine.open(engine.open(name), engine.options())) {
            int label = un0.classIndex(className);
            int[] labels = new int[count];
            long[] seeds = new long[count];
            for (int i = 0; i < count; i++) {
                labels[i] = label;
                seeds[i] = seed + i;
            }
            long started = System.nanoTime();
            List<GeneratedImage> images = un0.generate(labels, seeds, steps, chosen);
            double ms = (System.nanoTime() - started) / 1e6;
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.write(out, Png.contactSheet(images, (int) Math.ceil(Math.sqrt(count)), 4));
            if (each != null) {
                Files.createDirectories(each);
                for (GeneratedImage image : images) {
                    Files.write(each.resolve(un0.manifest().classNames().get(label) + "-" + image.seed() + ".png"), Png.encode(image));
                }
            }
            System.out.printf("%d × %s, %s, %d %s step(s), %s on %s (%s): %.1f ms, wrote %s%n", count, un0.manifest().classNames().get(label),
                    model, steps, chosen.id(), precision, un0.provider(), un0.provider().deviceClass(), ms, out);
        }
        return 0;
    }
}
