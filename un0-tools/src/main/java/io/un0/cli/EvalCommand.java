package io.un0.cli;

import io.un0.bench.BenchTable;
import io.un0.bench.FiguresFile;
import io.un0.bench.Machine;
import io.un0.data.FashionMnist;
import io.un0.engine.Solver;
import io.un0.engine.Un0Engine;
import io.un0.model.ModelPackage;
import io.un0.quality.ClassSheets;
import io.un0.quality.Judge;
import io.un0.quality.QualityEvaluator;
import io.un0.quality.QualityEvaluator.Quality;
import io.un0.quality.QualityEvaluator.RealFloor;
import io.un0.vocabulary.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * {@code un0 eval}: the judge's accuracy, the real-against-real floor, and the quality of both precisions over several
 * seeds on 10,000 images each; contact sheets of every class beside the figures.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measure the judge's test accuracy, the real-vs-real floor, and class fidelity, FD, precision and recall of the"
                + " fp32 and int8 generators over several seeds; write contact sheets.")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--samples", defaultValue = "10000",
            description = "Generated images per measurement, compared with as many test images (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seeds", defaultValue = "3", description = "Measurements per precision, each with fresh noise (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed", defaultValue = "1000000",
            description = "First noise seed; measurement s uses seed + s × samples, the real floor draws its training images with it (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--steps", defaultValue = "1")
    int steps;

    @Option(names = "--sheets", defaultValue = "docs/img/eval", description = "Folder for the contact sheets (default: ${DEFAULT-VALUE}).")
    Path sheets;

    @Option(names = "--baseline-steps",
            description = "Step count of the flow-matching baseline's sheet (default: best_k from --figures, where un0 bench wrote it).")
    Integer baselineSteps;

    @Option(names = "--baseline-solver",
            description = "Solver of the baseline's sheet: euler or heun (default: best_solver from --figures).")
    String baselineSolver;

    @Mixin
    DataSelection data;

    @Option(names = "--figures", defaultValue = "docs/bench/un0.json", description = "Flat JSON of figures to merge into (default: ${DEFAULT-VALUE}).")
    Path figures;

    @Mixin
    EngineSelection engine;

    private static final int SHEET_ROWS = 8;

    @Override
    public Integer call() throws Exception {
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1, not " + seeds);
        }
        FashionMnist test = data.load(FashionMnist.Split.TEST);
        FashionMnist train = data.load(FashionMnist.Split.TRAIN);
        ModelPackage judgePackage = engine.open(ModelPackage.JUDGE);
        Files.createDirectories(sheets);
        Files.write(sheets.resolve("real-test.png"), ClassSheets.real(test, SHEET_ROWS));
        try (Judge judge = new Judge(judgePackage, engine.options())) {
            QualityEvaluator evaluator = new QualityEvaluator(judge, test);
            System.out.printf("judge: test accuracy %.4f (ONNX Runtime, %d images); %d of %d features dead (constant on every test image)%n",
                    evaluator.testAccuracy(), test.count(), evaluator.deadFeatures(), evaluator.featureCount());
            judgePackage.withFigures(Map.of("test_accuracy", evaluator.testAccuracy(), "dead_features", evaluator.deadFeatures()));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("classifier_test_accuracy", evaluator.testAccuracy());
            out.put("judge_dead_features", evaluator.deadFeatures());
            out.put("judge_features", evaluator.featureCount());
            out.put("eval_samples", samples);
            out.put("fd_samples", samples);
            RealFloor floor = evaluator.realFloor(train, samples, seed);
            System.out.printf("real floor (%,d training images, seed %d, against %,d test images): FD %.3f, precision %.4f, recall %.4f%n",
                    samples, seed, samples, floor.fd(), floor.manifold().precision(), floor.manifold().recall());
            out.put("fd_real_floor", floor.fd());
            out.put("precision_real_floor", floor.manifold().precision());
            out.put("recall_real_floor", floor.manifold().recall());
            List<Long> seedList = new ArrayList<>();
            for (int s = 0; s < seeds; s++) {
                seedList.add(seed + (long) s * samples);
            }
            out.put("eval_seeds", seedList);
            for (String name : new String[] {ModelPackage.GENERATOR_FP32, ModelPackage.GENERATOR_INT8}) {
                ModelPackage pkg = engine.open(name);
                try (Un0Engine un0 = Un0Engine.open(pkg, engine.options())) {
                    String p = un0.manifest().precision();
                    List<Quality> runs = new ArrayList<>();
                    for (long s : seedList) {
                        Quality q = evaluator.evaluate(un0, steps, samples, s);
                        System.out.printf("%s, %d step(s), seed %d: class fidelity %.4f, FD %.3f, precision %.4f, recall %.4f (%,d images)%n",
                                p, steps, s, q.fidelity(), q.fd(), q.manifold().precision(), q.manifold().recall(), samples);
                        runs.add(q);
                    }
                    String suffix = steps + "step_" + p;
                    put(out, "fidelity_" + suffix, runs, Quality::fidelity);
                    put(out, "fd_" + suffix, runs, Quality::fd);
                    put(out, "precision_" + suffix, runs, q -> q.manifold().precision());
                    put(out, "recall_" + suffix, runs, q -> q.manifold().recall());
                    if (p.equals("fp32")) {
                        out.put("precision_" + steps + "step", out.get("precision_" + suffix));
                        out.put("recall_" + steps + "step", out.get("recall_" + suffix));
                    }
                    pkg.withFigures(Map.of("fidelity_" + steps + "step", out.get("fidelity_" + suffix), "fd_" + steps + "step", out.get("fd_" + suffix),
                            "quality_samples", samples, "quality_seeds", seeds));
                    Files.write(sheets.resolve("un0-" + steps + "step-" + p + ".png"), ClassSheets.generated(un0, steps, SHEET_ROWS, seed));
                }
            }
            writeBaselineSheet();
            out.put("machine", Machine.describe());
            FiguresFile.merge(figures, out);
            // The page the last bench wrote shows these figures too: brought up to date whichever of the two ran last.
            Path page = figures.resolveSibling("un0.md");
            if (Files.exists(page)) {
                Files.writeString(page, BenchTable.withEvalSection(Files.readString(page), FiguresFile.read(figures)));
            }
            System.out.println("figures merged into " + figures + (Files.exists(page) ? " and " + page : "") + "; contact sheets in " + sheets);
        }
        return 0;
    }

    /** The flow-matching baseline's sheet at its best setting, when it is trained and that setting is known. */
    private void writeBaselineSheet() throws java.io.IOException {
        Map<String, Object> known = Files.exists(figures) ? FiguresFile.read(figures) : Map.of();
        Integer k = baselineSteps != null ? baselineSteps : (Integer) known.get("best_k");
        String solver = baselineSolver != null ? baselineSolver : (String) known.get("best_solver");
        String name = ModelPackage.generator(ModelPackage.BASELINE_MODEL, Precision.FP32);
        if (k == null || solver == null) {
            System.out.println("no baseline sheet: give --baseline-steps and --baseline-solver, or run un0 bench first");
            return;
        }
        try (Un0Engine baseline = Un0Engine.open(engine.open(name), engine.options())) {
            Path sheet = sheets.resolve(name + "-" + k + solver + ".png");
            Files.write(sheet, ClassSheets.generated(baseline, k, Solver.parse(solver), SHEET_ROWS, seed));
            System.out.println("baseline sheet: " + sheet);
        }
    }

    /** The mean over the runs as the figure, and beside it the runs' sample standard deviation ({@code _sd}). */
    private static void put(Map<String, Object> out, String key, List<Quality> runs, ToDoubleFunction<Quality> figure) {
        double mean = runs.stream().mapToDouble(figure).average().orElseThrow();
        double squares = runs.stream().mapToDouble(q -> Math.pow(figure.applyAsDouble(q) - mean, 2)).sum();
        out.put(key, mean);
        out.put(key + "_sd", runs.size() > 1 ? Math.sqrt(squares / (runs.size() - 1)) : 0.0);
    }
}
