package io.un0.cli;

import io.un0.bench.BenchTable;
import io.un0.vocabulary.CpuEnergyModel;
import io.un0.bench.FiguresFile;
import io.un0.bench.Un0Benchmark;
import io.un0.data.FashionMnist;
import io.un0.engine.EngineOptions;
import io.un0.engine.Solver;
import io.un0.engine.Un0Engine;
import io.un0.model.ModelPackage;
import io.un0.quality.Judge;
import io.un0.quality.QualityEvaluator;
import io.un0.vocabulary.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code un0 bench}: Un-0 at 1 step against the flow-matching baseline swept over K; the energy ratios. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark Un-0 at 1 step against the flow-matching baseline (Euler K = 1..128, Heun K = 2..64), fp32 and int8, batch 1 and 32"
                + " (one intra-op thread unless --threads); write docs/bench/un0.json and docs/bench/un0.md.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--sweep-samples", defaultValue = "10000",
            description = "Generated images per setting for fidelity, FD, precision and recall, against as many test images (default: ${DEFAULT-VALUE}).")
    int sweepSamples;

    @Option(names = "--seconds", defaultValue = "2", description = "Minimum measuring time per speed row (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--watts-per-core", defaultValue = "4.4", description = "Declared power of one busy core for the energy model (default: ${DEFAULT-VALUE}).")
    double wattsPerCore;

    @Option(names = "--euler-steps", split = ",", defaultValue = "1,2,4,8,16,32,64,128",
            description = "The baseline's step counts with Euler steps, increasing (default: ${DEFAULT-VALUE}).")
    List<Integer> eulerSteps;

    @Option(names = "--heun-steps", split = ",", defaultValue = "2,4,8,16,32,64",
            description = "The baseline's step counts with Heun steps, increasing: 2K - 1 evaluations, so 64 costs what 127 Euler steps do; one Heun step is an Euler step (default: ${DEFAULT-VALUE}).")
    List<Integer> heunSteps;

    @Option(names = "--batches", split = ",", defaultValue = "1,32")
    List<Integer> batches;

    @Mixin
    DataSelection data;

    @Option(names = "--out", defaultValue = "docs/bench", description = "Folder for un0.json and un0.md (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    EngineSelection engine;

    @Override
    public Integer call() throws Exception {
        FashionMnist test = data.load(FashionMnist.Split.TEST);
        CpuEnergyModel energy = CpuEnergyModel.declared(wattsPerCore);
        // One intra-op thread by default: ONNX Runtime's spinning worker threads would charge idle waiting to
        // small batches as CPU time, flattering the ratio. Several one-thread sessions are how workers use the cores.
        EngineOptions options = engine.options(1);
        ModelPackage un0Fp32 = engine.open(ModelPackage.GENERATOR_FP32);
        ModelPackage un0Int8 = engine.open(ModelPackage.GENERATOR_INT8);
        ModelPackage baselineFp32 = engine.open(ModelPackage.generator(ModelPackage.BASELINE_MODEL, Precision.FP32));
        ModelPackage baselineInt8 = engine.open(ModelPackage.generator(ModelPackage.BASELINE_MODEL, Precision.INT8));
        try (Judge judge = new Judge(engine.open(ModelPackage.JUDGE), options);
             Un0Engine fp32 = Un0Engine.open(un0Fp32, options);
             Un0Engine int8 = Un0Engine.open(un0Int8, options);
             Un0Engine baseFp32 = Un0Engine.open(baselineFp32, options);
             Un0Engine baseInt8 = Un0Engine.open(baselineInt8, options)) {
            QualityEvaluator evaluator = new QualityEvaluator(judge, test);
            Map<Solver, List<Integer>> sweeps = new EnumMap<>(Solver.class);
            sweeps.put(Solver.EULER, eulerSteps);
            sweeps.put(Solver.HEUN, heunSteps);
            Un0Benchmark.Report report = new Un0Benchmark(energy, seconds).run(new Un0Benchmark.Generators(fp32, int8, baseFp32, baseInt8),
                    evaluator, sweeps, batches, sweepSamples, System.out);
            Map<String, Object> figures = new java.util.LinkedHashMap<>(report.figures());
            figures.put("intra_op_threads", options.intraOpThreads());
            figures.put("execution_provider", fp32.provider().name());
            Map<String, Object> all = FiguresFile.merge(out.resolve("un0.json"), figures, Un0Benchmark::writes);
            Files.writeString(out.resolve("un0.md"), BenchTable.markdown(report, all));
            for (ModelPackage pkg : List.of(un0Fp32, un0Int8)) {
                Map<String, Object> speed = new java.util.TreeMap<>();
                report.speed().stream().filter(r -> r.setting().model().equals(pkg.manifest().name())
                        && r.setting().precision().equals(pkg.manifest().precision()) && r.setting().steps() == 1).forEach(r -> {
                    speed.put("ms_per_image_1step_batch" + r.batch(), r.msPerImage());
                    speed.put("joules_per_image_1step_batch" + r.batch() + "_modelled", r.joulesPerImage());
                });
                pkg.withFigures(speed);
            }
            System.out.printf("headline energy ratio %.1f× (%s, %s); wrote %s and %s%n", (Double) all.get("headline_energy_ratio"),
                    all.get("headline_energy_ratio_is"), energy.describe(), out.resolve("un0.json"), out.resolve("un0.md"));
        }
        return 0;
    }
}
