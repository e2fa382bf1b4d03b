package io.un0.train.trainer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.un0.data.FashionMnist;
import io.un0.model.ModelPackage;
import io.un0.train.djl.DjlOps;
import io.un0.train.djl.DjlParameters;
import io.un0.train.djl.TrainingEngine;
import io.un0.train.net.HostTensor;
import io.un0.train.net.ParameterFile;
import io.un0.train.net.Un0Net;
import io.un0.train.onnx.OnnxWeights;
import io.un0.vocabulary.Precision;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Trains a generator. Points {@code x_t = (1 - t) x0 + t x1} lie between Gaussian noise x0 and a data image x1.
 *
 * <p>{@link GeneratorObjective#SHORTCUT} (Un-0; Frans et al., "One Step Diffusion via Shortcut Models", 2024): the
 * network predicts the average velocity over a step of size d. Most of the batch learns the instantaneous velocity
 * {@code x1 - x0} at the smallest step (flow matching); the rest learns that one step of size 2h equals two chained
 * steps of size h (self-consistency), with the target computed by the network itself without gradient. Step sizes
 * are powers of two from 1/128 to 1, so 1 step and 2…128 steps use the same weights.
 *
 * <p>{@link GeneratorObjective#FLOW_MATCHING} (the baseline): the whole batch learns {@code x1 - x0} with d = 0.
 *
 * <p>{@link GeneratorObjective#REFLOW}: x0 and x1 are a {@link TeacherPairs} pair instead of independent noise and
 * data, and every row learns {@code x1 - x0} as the average velocity over its step; half of each batch at the one step
 * Un-0 serves (d = 1 from t = 0), the rest at the other step sizes on their grids.
 *
 * <p>{@link GeneratorObjective#ADVERSARIAL}: reflow, with the one-step rows (the first half of each batch) also scored
 * by a {@link Discriminator}; after each generator update the critic takes one step of its own on as many real
 * training images and those one-step images.
 */
public final class GeneratorTrainer {

    /** The finest step count: step size 1/FINEST learns by flow matching, sizes 2/FINEST … 1 by self-consistency. */
    public static final int FINEST = 128;
    private static final int LEVELS = Integer.numberOfTrailingZeros(FINEST);
    private static final String CHECKPOINT = "checkpoint.bin";
    private static final String CHECKPOINT_INFO = "checkpoint.json";
    /** Steps between two measurements of the critic term's weight (each costs two more passes of the generator). */
    private static final int BALANCE_EVERY = 50;
    /** The layer whose gradients the critic's weight is balanced on: the one that writes the velocity. */
    private static final String LAST_LAYER = "out.weight";
    /** A critic term may not outweigh the regression by more than this however flat its gradient gets. */
    private static final float MAX_CRITIC_WEIGHT = 1e4f;
    /** The critic's seed, apart from the generator's: the two networks are initialised independently. */
    private static final long CRITIC_SEED = 0x5EED_C817_1C00L;

    private final TrainingConfig config;
    private final Un0Net net;
    private final FashionMnist data;
    private final TeacherPairs pairs;
    private final PrintStream log;
    private final DivergenceGuard guard = new DivergenceGuard("training");
    /** The package the run started from, as read at its very start (kept in the checkpoint); null from random weights. */
    private Map<String, Object> startedFrom;
    /** {@link GeneratorObjective#ADVERSARIAL}'s critic while a run trains; null otherwise. */
    private Discriminator critic;
    /** The critic term's weight, last measured at a multiple of {@link #BALANCE_EVERY} steps; NaN until then. */
    private float criticWeight = Float.NaN;

    /** What a finished run hands to the exporter. */
    /** @param startedFrom the package the run started from, as {@link #startedFrom(Path)} gives it; null from random weights */
    public record Result(Map<String, HostTensor> averagedWeights, double finalLoss, double seconds, int resumedAt,
                         Map<String, Object> startedFrom) {
    }

    /**
     * @param pairs the teacher's pairs: {@link GeneratorObjective#REFLOW} trains on them, other objectives take none;
     *              null for a trainer that only exports a checkpoint, which needs none whatever its objective
     */
    public GeneratorTrainer(TrainingConfig config, FashionMnist data, TeacherPairs pairs, PrintStream log) {
        if (pairs != null && !config.objective().trainsOnPairs()) {
            throw new IllegalArgumentException("teacher pairs are for reflow only, not for " + config.objective().id());
        }
        this.pairs = pairs;
        this.config = config;
        this.net = new Un0Net(config.width(), config.width() * 8, FashionMnist.CLASS_NAMES.size());
        this.data = data;
        this.log = log;
    }

    public Un0Net net() {
        return net;
    }

    /** Trains, resuming from the checkpoint in {@code dir} when one from the same config is there. */
    public Result train(Path dir) throws IOException {
        if (config.objective().trainsOnPairs() && pairs == null) {
            throw new IllegalStateException(config.objective().id() + " trains on a teacher's pairs, and this trainer was given none");
        }
        Files.createDirectories(dir);
        long started = System.nanoTime();
        try (NDManager base = TrainingEngine.newManager();
             DjlParameters parameters = new DjlParameters(base, config.seed(), true)) {
            createParameters(parameters, base);
            try (Adam adam = new Adam(parameters, base, config.emaDecay());
                 Discriminator discriminator = config.objective() == GeneratorObjective.ADVERSARIAL
                         ? new Discriminator(base, CRITIC_SEED ^ config.seed(), net.classes()) : null) {
                critic = discriminator;
                if (config.criticFrom() != null) {
                    startCritic(Path.of(config.criticFrom()));
                }
                int first = resume(dir, parameters, adam);
                Progress progress = new Progress("train", first, config.steps(), log);
                double loss = Double.NaN;
                for (int step = first; step < config.steps(); step++) {
                    loss = step(parameters, adam, base, step);
                    progress.update(step + 1, loss);
                    if ((step + 1) % config.checkpointEvery() == 0 || step + 1 == config.steps()) {
                        checkpoint(dir, step + 1, parameters, adam);
                    }
                }
                return new Result(adam.averageToHost(), loss, (System.nanoTime() - started) / 1e9, first, startedFrom);
            } finally {
                critic = null;
            }
        }
    }

    private void createParameters(DjlParameters parameters, NDManager base) {
        try (NDManager scope = base.newSubManager()) {
            net.forward(new DjlOps(parameters, scope), scope.zeros(new Shape(1, 1, 28, 28)),
                    scope.zeros(new Shape(1, net.classes())), scope.zeros(new Shape(1)), scope.zeros(new Shape(1)));
        }
        if (config.startFrom() != null) {
            ModelPackage start = ModelPackage.open(config.startFrom());
            parameters.load(startingWeights(start, parameters.toHost()));
            startedFrom = provenance(start);
        }
    }

    /**
     * The start in the package's own words, read with its weights: a name alone would point at whatever is there later
     * (a reflow run's packages are written over the one it started from).
     */
    private static Map<String, Object> provenance(ModelPackage start) {
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("package", start.manifest().name() + "-" + start.manifest().precision());
        try {
            from.put("model_sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(start.model())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        from.put("training", start.manifest().training());
        return from;
    }

    /** The weights of the fp32 package {@code start}, one for each of the network's parameters, in the parameters' shapes. */
    private static Map<String, HostTensor> startingWeights(ModelPackage start, Map<String, HostTensor> parameters) {
        String name = start.source();
        if (Precision.parse(start.manifest().precision()) != Precision.FP32) {
            throw new IllegalArgumentException("a run starts from an fp32 package's weights, and " + name + " is "
                    + start.manifest().precision());
        }
        Map<String, HostTensor> stored = OnnxWeights.read(start.model());
        Map<String, HostTensor> weights = new LinkedHashMap<>();
        parameters.forEach((parameter, random) -> {
            HostTensor w = stored.get(parameter);
            if (w == null || w.size() != random.size()) {
                throw new IllegalArgumentException(name + " is not this network: its parameter " + parameter + " is "
                        + (w == null ? "missing" : Arrays.toString(w.shape())) + ", the network's is "
                        + Arrays.toString(random.shape()));
            }
            weights.put(parameter, new HostTensor(random.shape(), w.data()));   // a norm's 1×c×1×1 is the parameter's c
        });
        return weights;
    }

    /** One step; returns its squared error. */
    private double step(DjlParameters parameters, Adam adam, NDManager base, int step) {
        int b = config.batch();
        int boot = Math.round(b * config.bootstrapShare());
        SplittableRandom random = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + step);
        float[] x1 = new float[b * FashionMnist.PIXELS];
        float[] x0 = new float[x1.length];
        float[] xt = new float[x1.length];
        float[] label = new float[b * net.classes()];
        float[] t = new float[b];
        float[] d = new float[b];
        for (int i = 0; i < b; i++) {
            if (pairs != null) {
                reflowRow(random, i, oneStepRow(random, i, b), x0, x1, xt, label, t, d);
                continue;
            }
            int index = random.nextInt(data.count());
            data.copyImage(index, x1, i * FashionMnist.PIXELS);
            label[i * net.classes() + data.label(index)] = 1f;
            if (i < boot) {
                int level = random.nextInt(LEVELS);        // step size 2^-level, from 1 down to 2/FINEST
                d[i] = 1f / (1 << level);
                t[i] = random.nextInt(1 << level) * d[i];  // start on the grid that steps of that size visit
            } else {
                d[i] = config.objective().velocity().stepSizeInput(1f / FINEST);
                t[i] = (float) random.nextDouble();
            }
            for (int p = i * FashionMnist.PIXELS; p < (i + 1) * FashionMnist.PIXELS; p++) {
                x0[p] = (float) random.nextGaussian();
                xt[p] = (1 - t[i]) * x0[p] + t[i] * x1[p];
            }
        }
        float[] flowTarget = new float[(b - boot) * FashionMnist.PIXELS];
        for (int p = 0; p < flowTarget.length; p++) {
            int q = boot * FashionMnist.PIXELS + p;
            flowTarget[p] = x1[q] - x0[q];
        }
        try (NDManager scope = base.newSubManager()) {
            DjlOps ops = new DjlOps(parameters, scope);
            NDArray x = scope.create(xt, new Shape(b, 1, 28, 28));
            NDArray labels = scope.create(label, new Shape(b, net.classes()));
            NDArray times = scope.create(t);
            NDArray sizes = scope.create(d);
            NDArray flowTargets = scope.create(flowTarget, new Shape(b - boot, 1, 28, 28));
            if (critic != null && (step % BALANCE_EVERY == 0 || Float.isNaN(criticWeight))) {
                criticWeight = balance(parameters, ops, scope, x, labels, times, sizes, flowTargets);
            }
            double value;
            double regression;
            NDArray generated;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                Loss loss = loss(ops, scope, x, labels, times, sizes, flowTargets, boot);
                collector.backward(loss.total());
                value = loss.total().getFloat();
                regression = loss.regression().getFloat();
                generated = loss.generated();
            }
            guard.loss(step, value, () -> loss(DjlOps.checkingFinite(parameters, scope), scope, x, labels, times, sizes, flowTargets, boot).total());
            guard.gradients(step, parameters);
            // Outside the collector: PyTorch refuses in-place updates of leaf tensors while recording gradients.
            adam.update(step + 1, config.schedule().at(step));
            guard.weights(step, parameters);
            if (critic != null) {
                critic.parameters().clearGradients();   // the generator's loss reached the critic too: not its update
                criticStep(scope, random, step, generated, labels.get(oneStepRows(labels)));
            }
            return regression;
        }
    }

    /** Reflow row i is a one-step row: for the adversarial objective the first half of the batch, else half the rows at random. */
    private boolean oneStepRow(SplittableRandom random, int i, int batch) {
        return config.objective() == GeneratorObjective.ADVERSARIAL ? i < batch / 2 : random.nextBoolean();
    }

    /** One hinge-loss update of the critic: as many real training images as one-step images, each with its class. */
    private void criticStep(NDManager scope, SplittableRandom random, int step, NDArray generated, NDArray generatedLabels) {
        int n = (int) generated.getShape().get(0);
        float[] real = new float[n * FashionMnist.PIXELS];
        float[] realLabel = new float[n * net.classes()];
        for (int i = 0; i < n; i++) {
            int index = random.nextInt(data.count());
            data.copyImage(index, real, i * FashionMnist.PIXELS);
            realLabel[i * net.classes() + data.label(index)] = 1f;
        }
        NDArray realImages = scope.create(real, new Shape(n, 1, FashionMnist.SIDE, FashionMnist.SIDE));
        NDArray realLabels = scope.create(realLabel, new Shape(n, net.classes()));
        double value;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = critic.loss(scope, realImages, realLabels, generated, generatedLabels);
            collector.backward(loss);
            value = loss.getFloat();
        }
        guard.finite(step, "the critic's loss", value);
        guard.gradients(step, critic.parameters());
        critic.update(step + 1, config.criticSchedule().at(step));
        guard.weights(step, critic.parameters());
        if (step % BALANCE_EVERY == 0) {
            log.printf("step %d: critic loss %.4f, critic term weight %.4g%n", step, value, criticWeight);
        }
    }

    /**
     * The critic term's weight: {@code adversarialWeight} times the ratio of the regression's gradient norm to the
     * critic term's on the generator's last layer (the adaptive weight of Esser et al., "Taming Transformers", 2021), so
     * that the critic pulls on the image with a set share of the regression's strength whatever the two losses' scales.
     * Measured on this step's batch with two passes of their own; no gradient of them reaches an update.
     */
    private float balance(DjlParameters parameters, DjlOps ops, NDManager scope, NDArray x, NDArray labels, NDArray times,
                          NDArray sizes, NDArray flowTargets) {
        double regression = lastLayerGradient(parameters, () -> net.forward(ops, x, labels, times, sizes).sub(flowTargets).square().mean());
        double adversarial = lastLayerGradient(parameters,
                () -> criticTerm(scope, oneStepImages(scope, x, net.forward(ops, x, labels, times, sizes)), labels));
        return (float) Math.min(MAX_CRITIC_WEIGHT, config.adversarialWeight() * regression / (adversarial + 1e-12));
    }

    private double lastLayerGradient(DjlParameters parameters, Supplier<NDArray> loss) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(loss.get());
        }
        double norm;
        try (NDArray g = parameters.arrays().get(LAST_LAYER).getGradient(); NDArray n = g.norm()) {
            norm = n.getFloat();
        }
        parameters.clearGradients();
        critic.parameters().clearGradients();
        return norm;
    }

    /** The rows of a batch whose images the critic scores: the first half, an adversarial batch's one-step rows. */
    private static String oneStepRows(NDArray batch) {
        return "0:" + batch.getShape().get(0) / 2;
    }

    /** The one-step rows' images: from t = 0 over d = 1, x0 + s(x0, 0, 1). */
    private static NDArray oneStepImages(NDManager scope, NDArray x, NDArray prediction) {
        String rows = oneStepRows(x);
        NDArray images = x.get(rows).add(prediction.get(rows));
        images.attach(scope);
        return images;
    }

    /** The generator's side of the critic: minus the mean score of the one-step images, each with its row's class. */
    private NDArray criticTerm(NDManager scope, NDArray images, NDArray labels) {
        return critic.score(scope, images, labels.get(oneStepRows(labels))).mean().neg();
    }

    /** Row i of a reflow batch: a teacher pair, and a step of size 1 (a one-step row) or 1/2 … 1/FINEST on its grid. */
    private void reflowRow(SplittableRandom random, int i, boolean oneStep, float[] x0, float[] x1, float[] xt, float[] label,
                           float[] t, float[] d) {
        int pair = random.nextInt(pairs.count());
        int from = i * FashionMnist.PIXELS;
        pairs.copy(pair, x0, x1, from);
        label[i * net.classes() + pairs.label(pair)] = 1f;
        int level = oneStep ? 0 : 1 + random.nextInt(LEVELS);
        d[i] = 1f / (1 << level);
        t[i] = random.nextInt(1 << level) * d[i];
        for (int p = from; p < from + FashionMnist.PIXELS; p++) {
            xt[p] = (1 - t[i]) * x0[p] + t[i] * x1[p];
        }
    }

    /**
     * A step's loss: in all, and its squared error alone (what progress shows, comparable between objectives); and the
     * one-step images the critic is to see next (detached; null without a critic).
     */
    private record Loss(NDArray total, NDArray regression, NDArray generated) {
    }

    /**
     * Mean squared error against self-consistency targets for the first {@code boot} rows, flow targets for the rest;
     * with a critic, plus its term at the weight last measured.
     */
    private Loss loss(DjlOps ops, NDManager scope, NDArray x, NDArray labels, NDArray times, NDArray sizes, NDArray flowTargets,
                      int boot) {
        NDArray target = boot > 0
                ? selfConsistencyTarget(ops, scope, x, labels, times, sizes, boot).concat(flowTargets, 0)
                : flowTargets;
        NDArray prediction = net.forward(ops, x, labels, times, sizes);
        NDArray regression = prediction.sub(target).square().mean();
        if (critic == null) {
            return new Loss(regression, regression, null);
        }
        NDArray images = oneStepImages(scope, x, prediction);
        NDArray generated = images.stopGradient();
        generated.attach(scope);
        return new Loss(regression.add(criticTerm(scope, images, labels).mul(criticWeight)), regression, generated);
    }

    /** Two chained half steps by the current network, averaged: the target for one full step. No gradient flows into it. */
    private NDArray selfConsistencyTarget(DjlOps ops, NDManager scope, NDArray x, NDArray labels, NDArray times,
                                          NDArray sizes, int boot) {
        String rows = "0:" + boot;
        NDArray xb = x.get(rows);
        NDArray lb = labels.get(rows);
        NDArray tb = times.get(rows);
        NDArray half = sizes.get(rows).div(2f);
        NDArray first = net.forward(ops, xb, lb, tb, half);
        NDArray middle = xb.add(first.mul(half.reshape(boot, 1, 1, 1)));
        NDArray second = net.forward(ops, middle, lb, tb.add(half), half);
        return first.add(second).div(2f).stopGradient();
    }

    /** The averaged weights of the checkpoint in {@code dir}, to export a run that was stopped or is still going. */
    public static Map<String, HostTensor> averagedWeights(Path dir) throws IOException {
        Path file = dir.resolve(CHECKPOINT);
        if (!Files.exists(file)) {
            throw new IllegalStateException("no checkpoint in " + dir + " (looked for " + file + ")");
        }
        Map<String, HostTensor> weights = new LinkedHashMap<>();
        ParameterFile.read(file).forEach((k, v) -> {
            if (k.startsWith("ema/")) {
                weights.put(k.substring(4), v);
            }
        });
        return weights;
    }

    /** The critic's weights from an earlier adversarial run's checkpoint in {@code dir}. */
    private void startCritic(Path dir) throws IOException {
        Path info = dir.resolve(CHECKPOINT_INFO);
        if (!Files.exists(info) || !Files.exists(dir.resolve(CHECKPOINT))) {
            throw new IllegalArgumentException("--critic-from " + dir + ": no checkpoint there (" + CHECKPOINT + " and " + CHECKPOINT_INFO + ")");
        }
        CheckpointInfo saved = JSON.readValue(info.toFile(), CheckpointInfo.class);
        if (saved.config().objective() != GeneratorObjective.ADVERSARIAL) {
            throw new IllegalArgumentException("--critic-from " + dir + ": that run's objective is " + saved.config().objective().id()
                    + ", and only an adversarial run trains a critic");
        }
        critic.restoreWeights(ParameterFile.read(dir.resolve(CHECKPOINT)));
        log.println("critic starts from the one in " + dir + " at step " + saved.step() + " of " + saved.config().steps());
    }

    private int resume(Path dir, DjlParameters parameters, Adam adam) throws IOException {
        Path file = dir.resolve(CHECKPOINT);
        Path info = dir.resolve(CHECKPOINT_INFO);
        if (!Files.exists(file) || !Files.exists(info)) {
            return 0;
        }
        CheckpointInfo saved = JSON.readValue(info.toFile(), CheckpointInfo.class);
        Map<String, HostTensor> state = ParameterFile.read(file);
        int step = (int) state.get(STEP).data()[0];
        if (!saved.config().equals(config)) {
            throw new IllegalArgumentException("the checkpoint in " + dir + " was made with " + saved.config()
                    + ", not " + config + ": use another output folder or the same settings");
        }
        Map<String, HostTensor> weights = new LinkedHashMap<>();
        parameters.arrays().keySet().forEach(name -> weights.put(name, state.get("param/" + name)));
        parameters.load(weights);
        adam.restore(state);
        if (critic != null) {
            critic.restore(state);
        }
        startedFrom = saved.startedFrom();
        log.println("resuming from step " + step + " of " + config.steps() + " (" + file + ")");
        return step;
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Beside the checkpoint, readable by people; the step itself is inside the checkpoint so the two cannot disagree. */
    record CheckpointInfo(int step, TrainingConfig config, Map<String, Object> startedFrom) {
    }

    /** What the run whose checkpoint is in {@code dir} started from, as it read it at its start; null from random weights. */
    public static Map<String, Object> startedFrom(Path dir) throws IOException {
        Path info = dir.resolve(CHECKPOINT_INFO);
        return Files.exists(info) ? JSON.readValue(info.toFile(), CheckpointInfo.class).startedFrom() : null;
    }

    private static final String STEP = "meta/step";

    private void checkpoint(Path dir, int step, DjlParameters parameters, Adam adam) throws IOException {
        Map<String, HostTensor> state = new LinkedHashMap<>();
        parameters.toHost().forEach((k, v) -> state.put("param/" + k, v));
        state.putAll(adam.state());
        if (critic != null) {
            state.putAll(critic.state());
        }
        state.put(STEP, new HostTensor(new int[] {1}, new float[] {step}));
        ParameterFile.write(dir.resolve(CHECKPOINT), state);
        JSON.writeValue(dir.resolve(CHECKPOINT_INFO).toFile(), new CheckpointInfo(step, config, startedFrom));
    }
}
