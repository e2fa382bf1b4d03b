package io.un0.train.cli;

import io.un0.cli.DataSelection;
import io.un0.data.FashionMnist;
import io.un0.engine.EngineOptions;
import io.un0.engine.Un0Engine;
import io.un0.model.ModelManifest;
import io.un0.model.ModelPackage;
import io.un0.train.djl.ActivationRanges;
import io.un0.train.djl.Int8Calibration;
import io.un0.train.djl.TrainingEngine;
import io.un0.train.net.HostTensor;
import io.un0.train.net.Un0Net;
import io.un0.train.onnx.Int8Plan;
import io.un0.train.onnx.PackageWriter;
import io.un0.train.trainer.GeneratorObjective;
import io.un0.train.trainer.GeneratorTrainer;
import io.un0.train.trainer.TeacherPairs;
import io.un0.train.trainer.TrainingConfig;
import io.un0.vocabulary.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code un0 train}: trains a generator (Un-0, or the flow-matching baseline), then writes its fp32 and int8 packages. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a generator (DJL + PyTorch CPU) and write its fp32 and int8 packages: Un-0 (shortcut models) by default,"
                + " or the iterative flow-matching baseline with --objective flow-matching.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--objective", defaultValue = "shortcut",
            description = "shortcut (Un-0), flow-matching (the baseline: same network, data, seed and budget), reflow (Un-0's network on"
                    + " a teacher's (noise, image) pairs) or adversarial (reflow, with a critic of its own scoring the one-step images"
                    + " against real ones) (default: ${DEFAULT-VALUE}).")
    String objective;

    @Mixin
    TeacherSelection teacher;

    @Option(names = "--seed", description = "Seed of the whole run (default: the shipped model's).")
    Long seed;

    @Option(names = "--steps", description = "Optimiser steps (default: the shipped model's).")
    Integer steps;

    @Option(names = "--learning-rate", description = "Peak learning rate (default: the shipped model's).")
    Float learningRate;

    @Option(names = "--adversarial-weight", description = "adversarial only: the critic's term as a share of the weight that"
            + " gives it the regression's gradient on the last layer (default: the shipped setting's).")
    Float adversarialWeight;

    @Option(names = "--critic-from", description = "adversarial only: start the critic from the one in this earlier adversarial"
            + " run's checkpoint folder (its weights; its optimiser starts afresh) instead of from its own random initialisation.")
    String criticFrom;

    @Option(names = "--critic-learning-rate-ratio", description = "adversarial only: the critic's learning rate as a multiple of"
            + " the generator's, step by step (default: the shipped setting's, 1).")
    Float criticLearningRateRatio;

    @Option(names = "--start-from", description = "Start from the weights of this fp32 package, a folder or a shipped name, with the"
            + " same network (default: the seed's random initialisation).")
    String startFrom;

    @Option(names = "--smoke", description = "A few steps of a narrow network, to check the pipeline end to end.")
    boolean smoke;

    @Option(names = "--checkpoints",
            description = "Folder for checkpoints; a run resumes from the checkpoint there (default: work/train-<objective>).")
    Path checkpoints;

    @Option(names = "--packages", defaultValue = "un0/src/main/resources/un0/packages",
            description = "Where the packages are written (default: ${DEFAULT-VALUE}).")
    Path packages;

    @Mixin
    DataSelection data;

    @Option(names = "--export-only", description = "Skip training: export the averaged weights of the checkpoint as they are.")
    boolean exportOnly;

    @Option(names = "--calibration-images", defaultValue = "256", description = "Real images per step count for int8 calibration.")
    int calibrationImages;

    @Option(names = "--int8-ranges", defaultValue = "least-squares",
            description = "How each activation's int8 range is chosen from calibration: min-max or least-squares (default: ${DEFAULT-VALUE}).")
    String int8Ranges;

    @Option(names = "--debug-poison-fresh-memory", description = "Debug: PyTorch fills every tensor it allocates with NaN before"
            + " it is written, so reading memory that was never written turns the loss NaN (slower).")
    boolean poisonFreshMemory;

    @Override
    public Integer call() throws Exception {
        GeneratorObjective chosen = GeneratorObjective.parse(objective);
        Int8Plan.RangeRule rangeRule = Int8Plan.RangeRule.parse(int8Ranges);
        TrainingConfig base = smoke ? TrainingConfig.smoke(chosen) : TrainingConfig.shipped(chosen);
        TrainingConfig config = new TrainingConfig(chosen, seed != null ? seed : base.seed(), steps != null ? steps : base.steps(),
                base.batch(), learningRate != null ? learningRate : base.learningRate(), base.emaDecay(), base.width(),
                base.bootstrapShare(), base.checkpointEvery(), startFrom,
                adversarialWeight != null ? adversarialWeight : base.adversarialWeight(), criticFrom,
                criticLearningRateRatio != null ? criticLearningRateRatio : base.criticLearningRateRatio());
        if (checkpoints == null) {
            checkpoints = Path.of("work", "train-" + chosen.id());
        }
        FashionMnist train = data.load(FashionMnist.Split.TRAIN);
        TeacherPairs pairs = chosen.trainsOnPairs() && !exportOnly ? teacherPairs(config, train.count()) : null;
        GeneratorTrainer trainer = new GeneratorTrainer(config, train, pairs, System.err);
        System.err.println((exportOnly ? "exporting " : "training ") + config);
        Map<String, Object> training = new LinkedHashMap<>();
        Map<String, HostTensor> weights;
        Map<String, Object> startedFrom;
        if (exportOnly) {
            weights = GeneratorTrainer.averagedWeights(checkpoints);
            startedFrom = GeneratorTrainer.startedFrom(checkpoints);
            training.put("exported_from_checkpoint", checkpoints.toString());
        } else {
            GeneratorTrainer.Result result = train(trainer);
            weights = result.averagedWeights();
            startedFrom = result.startedFrom();
            training.put("final_loss", result.finalLoss());
            training.put("wall_seconds_this_session", result.seconds());
            training.put("resumed_at_step", result.resumedAt());
        }
        training.put("objective", switch (chosen) {
            case SHORTCUT -> "shortcut models: flow matching at d = 1/128 on " + (1 - config.bootstrapShare())
                    + " of each batch, self-consistency for d = 1 ... 1/64 on the rest";
            case FLOW_MATCHING -> "conditional flow matching on the whole batch (d = 0), no one-step terms";
            case REFLOW -> "reflow on a teacher's (noise, image) pairs: every row learns x1 - x0 as its average velocity,"
                    + " half of each batch at d = 1 from t = 0, the rest at d = 1/2 ... 1/128 on their grids";
            case ADVERSARIAL -> "reflow on a teacher's (noise, image) pairs, plus a projection critic's hinge loss on the one-step"
                    + " images (the first half of each batch) against real training images, weighted " + config.adversarialWeight()
                    + " times the weight that matches the regression's gradient on the last layer, measured every 50 steps;"
                    + " the critic is trained beside it, one step per step at " + config.criticLearningRateRatio()
                    + " times the generator's learning rate, and not exported";
        });
        (pairs != null ? Optional.of(pairs.spec()) : TeacherPairs.saved(checkpoints)).ifPresent(spec -> training.put("teacher_pairs", spec));
        training.put("config", config);
        if (startedFrom != null) {
            training.put("started_from", startedFrom);
        }
        training.put("engine", "DJL 0.36.0, PyTorch 2.7.1 CPU");
        training.put("exported_weights", "exponential moving average, decay " + config.emaDecay());
        Map<String, String> dataset = Map.of("name", "fashion-mnist (Debian dataset-fashion-mnist)", "train_sha256", train.sha256());

        String name = chosen.packageName();
        Path fp32Folder = packages.resolve(ModelPackage.generator(name, Precision.FP32));
        ModelManifest fp32 = PackageWriter.writeGenerator(fp32Folder, name, trainer.net(), chosen.velocity(), weights, null, training, dataset);
        System.err.printf("wrote %s: %,d parameters, %,d FLOPs per evaluation%n", fp32Folder, fp32.parameters(), fp32.flopsPerEvaluation());
        ActivationRanges ranges = Int8Calibration.calibrate(trainer.net(), chosen.velocity(), weights, train,
                PackageWriter.STEPS, calibrationImages, config.seed());
        Map<String, Object> int8Training = new LinkedHashMap<>(training);
        int8Training.put("int8_calibration", calibrationImages + " real training images per served step count; ranges: " + rangeRule.description());
        int8Training.put("int8_kept_float", new TreeSet<>(Un0Net.IMAGE_CONVOLUTIONS));
        Path int8Folder = packages.resolve(ModelPackage.generator(name, Precision.INT8));
        PackageWriter.writeGenerator(int8Folder, name, trainer.net(), chosen.velocity(), weights, new Int8Plan(ranges, rangeRule, Un0Net.IMAGE_CONVOLUTIONS), int8Training, dataset);
        System.err.println("wrote " + int8Folder);
        return 0;
    }

    /** The teacher's pairs, saved beside the checkpoints so that a resumed run trains on the same ones. */
    private TeacherPairs teacherPairs(TrainingConfig config, int trainingImages) throws IOException {
        ModelPackage teacherPackage = teacher.open();
        TeacherPairs.Spec spec = teacher.spec(teacherPackage, smoke ? 64 : trainingImages, config.seed());
        try (Un0Engine engine = Un0Engine.open(teacherPackage, EngineOptions.cpu(1))) {
            return TeacherPairs.loadOrMake(checkpoints, spec, engine, System.err);
        }
    }

    private GeneratorTrainer.Result train(GeneratorTrainer trainer) throws IOException {
        if (!poisonFreshMemory) {
            return trainer.train(checkpoints);
        }
        TrainingEngine.poisonFreshMemory(true);
        try {
            return trainer.train(checkpoints);
        } finally {
            TrainingEngine.poisonFreshMemory(false);
        }
    }
}
