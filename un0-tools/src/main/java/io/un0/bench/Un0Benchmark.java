package io.un0.bench;

import com.sun.management.OperatingSystemMXBean;
import io.un0.engine.Solver;
import io.un0.engine.Un0Engine;
import io.un0.quality.QualityEvaluator;
import io.un0.quality.QualityEvaluator.Quality;
import io.un0.vocabulary.CpuEnergyModel;
import io.un0.vocabulary.Precision;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.function.Predicate;

/**
 * The generator benchmark, in one run on one machine: Un-0 at 1 step against the independently trained
 * flow-matching baseline swept over K with each solver, quality on the same images and seed for every setting,
 * then wall time, CPU time, FLOPs and modelled energy per image at each batch size, and the {@link EnergyRatios}.
 *
 * <p>Where the baseline first reaches the FD of Un-0's cheapest setting, K is narrowed between the swept powers of
 * two, so that the equal-quality ratio is not inflated by the grid's coarseness.
 */
public final class Un0Benchmark {

    private static final long SEED = 1_000_000L;
    private static final String FP32 = Precision.FP32.configName();
    private static final String INT8 = Precision.INT8.configName();
    /** Bisection between swept step counts stops once K is known to within this share of it. */
    private static final int RESOLUTION_DIVISOR = 8;

    private final CpuEnergyModel energy;
    private final double minSecondsPerRow;
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public Un0Benchmark(CpuEnergyModel energy, double minSecondsPerRow) {
        this.energy = energy;
        this.minSecondsPerRow = minSecondsPerRow;
    }

    /** The generators compared: each model's fp32 and int8 engines. */
    public record Generators(Un0Engine un0Fp32, Un0Engine un0Int8, Un0Engine baselineFp32, Un0Engine baselineInt8) {

        Un0Engine engine(Setting s) {
            boolean un0 = s.model().equals(un0Fp32.manifest().name());
            boolean fp32 = s.precision().equals(FP32);
            return un0 ? (fp32 ? un0Fp32 : un0Int8) : (fp32 ? baselineFp32 : baselineInt8);
        }

        String un0Model() {
            return un0Fp32.manifest().name();
        }

        String baselineModel() {
            return baselineFp32.manifest().name();
        }
    }

    /** Everything measured, and the flat figures derived from it. */
    public record Report(Map<Setting, Quality> quality, List<SpeedRow> speed, EnergyRatios ratios, Map<String, Object> figures) {
    }

    /** Runs whole batches until at least the minimum time has passed and at least two batches ran (after one warm-up batch). */
    public SpeedRow speed(Un0Engine engine, Setting setting, int batch) {
        int[] labels = new int[batch];
        long[] seeds = new long[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % engine.manifest().classNames().size();
            seeds[i] = SEED + i;
        }
        engine.generate(labels, seeds, setting.steps(), setting.solver());
        long wall0 = System.nanoTime();
        long cpu0 = os.getProcessCpuTime();
        int images = 0;
        int batches = 0;
        while (batches < 2 || System.nanoTime() - wall0 < minSecondsPerRow * 1e9) {
            engine.generate(labels, seeds, setting.steps(), setting.solver());
            images += batch;
            batches++;
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        double cpuPerImage = (os.getProcessCpuTime() - cpu0) / 1e9 / images;
        return new SpeedRow(setting, batch, images, wall * 1000 / images, cpuPerImage,
                engine.manifest().flopsPerEvaluation() * setting.evaluations(), energy.joules(cpuPerImage));
    }

    /**
     * @param baselineSteps per solver, the step counts to sweep in increasing order; a solver's sweep stops once two
     *                      step counts in a row fail to improve its best FD (more steps would only cost)
     */
    public Report run(Generators generators, QualityEvaluator evaluator, Map<Solver, List<Integer>> baselineSteps,
                      List<Integer> batches, int samples, PrintStream log) {
        Run run = new Run(generators, evaluator, batches, samples, log);
        for (Un0Engine un0 : List.of(generators.un0Fp32(), generators.un0Int8())) {
            Setting s = new Setting(generators.un0Model(), un0.manifest().precision(), Solver.EULER, 1);
            run.judge(s);
            run.time(s);
        }
        SpeedRow un0Cheapest = EnergyRatios.cheapestOneStep(generators.un0Model(), run.speed);
        double target = run.quality.get(un0Cheapest.setting()).fd();
        // int8 runs the same network for this share of fp32's time: beyond K/share steps it cannot be the cheaper.
        double int8Share = cheapest(run.speed, r -> r.setting().precision().equals(INT8) && r.batch() == un0Cheapest.batch())
                / cheapest(run.speed, r -> r.setting().precision().equals(FP32) && r.batch() == un0Cheapest.batch());
        log.printf("target: FD %.3f of Un-0's cheapest 1-step setting (%s, batch %d); int8 costs %.2f of fp32%n",
                target, un0Cheapest.setting(), un0Cheapest.batch(), int8Share);
        for (Map.Entry<Solver, List<Integer>> sweep : baselineSteps.entrySet()) {
            run.sweep(new Setting(generators.baselineModel(), FP32, sweep.getKey(), 1), sweep.getValue(), target, int8Share);
        }
        for (Setting s : List.copyOf(run.quality.keySet())) {
            if (s.model().equals(generators.baselineModel())) {
                run.time(s);
            }
        }
        Map<Setting, Double> fd = new LinkedHashMap<>();
        run.quality.forEach((s, q) -> fd.put(s, q.fd()));
        EnergyRatios ratios = EnergyRatios.of(generators.un0Model(), generators.baselineModel(), fd, run.speed);
        Map<String, Object> figures = figures(run.quality, run.speed, ratios, samples);
        baselineSteps.forEach((solver, steps) -> figures.put("baseline_sweep_" + solver.id(), steps));
        return new Report(run.quality, run.speed, ratios, figures);
    }

    private static double cheapest(List<SpeedRow> rows, Predicate<SpeedRow> which) {
        return rows.stream().filter(which).mapToDouble(SpeedRow::joulesPerImage).min().orElseThrow();
    }

    /** The measurements of one run, in the order they were taken. */
    private final class Run {
        final Generators generators;
        final QualityEvaluator evaluator;
        final List<Integer> batches;
        final int samples;
        final PrintStream log;
        final Map<Setting, Quality> quality = new LinkedHashMap<>();
        final List<SpeedRow> speed = new ArrayList<>();

        Run(Generators generators, QualityEvaluator evaluator, List<Integer> batches, int samples, PrintStream log) {
            this.generators = generators;
            this.evaluator = evaluator;
            this.batches = batches;
            this.samples = samples;
            this.log = log;
        }

        Quality judge(Setting s) {
            return quality.computeIfAbsent(s, key -> {
                Quality q = evaluator.evaluate(generators.engine(key), key.solver(), key.steps(), samples, SEED);
                log.printf("quality %-40s fidelity %.4f FD %.3f precision %.4f recall %.4f (%d images against as many test images)%n",
                        key, q.fidelity(), q.fd(), q.manifold().precision(), q.manifold().recall(), q.samples());
                return q;
            });
        }

        void time(Setting s) {
            for (int b : batches) {
                SpeedRow row = Un0Benchmark.this.speed(generators.engine(s), s, b);
                log.printf("speed   %-40s batch=%-2d %9.3f ms/image %9.5f CPU-s/image %8.4f J/image (modelled)%n",
                        s, b, row.msPerImage(), row.cpuSecondsPerImage(), row.joulesPerImage());
                speed.add(row);
            }
        }

        /** The fp32 sweep of one solver; K narrowed where it first reaches the target; int8 there and at the best K. */
        void sweep(Setting fp32, List<Integer> steps, double target, double int8Share) {
            double best = Double.POSITIVE_INFINITY;
            int bestK = steps.get(0);
            int sinceBest = 0;
            int reached = 0;
            int previous = 0;
            for (int k : steps) {
                double fd = judge(fp32.with(FP32, k)).fd();
                if (reached == 0 && fd <= target) {
                    reached = previous > 0 ? smallestReaching(kk -> judge(fp32.with(FP32, kk)).fd(), previous, k, target) : k;
                }
                previous = k;
                if (fd < best) {
                    best = fd;
                    bestK = k;
                    sinceBest = 0;
                } else if (++sinceBest == 2) {
                    break;
                }
            }
            judge(fp32.with(INT8, bestK));
            if (reached > 0 && judge(fp32.with(INT8, reached)).fd() > target) {
                int most = (int) Math.floor(reached / int8Share);
                if (most > reached && judge(fp32.with(INT8, most)).fd() <= target) {
                    smallestReaching(kk -> judge(fp32.with(INT8, kk)).fd(), reached, most, target);
                }
            }
        }
    }

    /**
     * The smallest K in (lo, hi] whose FD reaches the target, by bisection, given that lo does not and hi does; K is
     * narrowed to within {@code lo / 8} steps (1 for small K), since FD falls with K only up to noise.
     */
    static int smallestReaching(IntToDoubleFunction fdAt, int lo, int hi, double target) {
        int resolution = Math.max(1, lo / RESOLUTION_DIVISOR);
        while (hi - lo > resolution) {
            int mid = (lo + hi) >>> 1;
            if (fdAt.applyAsDouble(mid) <= target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    /** The keys of {@code docs/bench/un0.json} that a benchmark run writes, so that a new run replaces all of them. */
    public static boolean writes(String key) {
        return key.endsWith("_sweep") || key.startsWith("ms_per_image_") || key.startsWith("joules_per_image_")
                || key.startsWith("energy_ratio_") || key.startsWith("equal_quality_") || key.startsWith("headline_")
                || key.startsWith("best_") || key.startsWith("baseline_") || key.startsWith("un0_") || key.startsWith("fd_best_") || key.startsWith("fidelity_best_")
                || key.startsWith("fd_ratio_");
    }

    private Map<String, Object> figures(Map<Setting, Quality> quality, List<SpeedRow> speed, EnergyRatios ratios, int samples) {
        Quality best = quality.get(ratios.baselineBest());
        Setting un0Fp32 = new Setting(ratios.un0Cheapest().setting().model(), FP32, Solver.EULER, 1);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("fd_sweep_samples", samples);
        f.put("sweep_seed", SEED);
        f.put("baseline_model", ratios.baselineBest().model());
        f.put("best_k", ratios.baselineBest().steps());
        f.put("best_solver", ratios.baselineBest().solver().id());
        f.put("fd_best_k", best.fd());
        f.put("fidelity_best_k", best.fidelity());
        f.put("baseline_precision_best", best.manifold().precision());
        f.put("baseline_recall_best", best.manifold().recall());
        f.put("fd_ratio_1step_to_best_k", quality.get(un0Fp32).fd() / best.fd());
        ratios.likeForLike().forEach((batch, r) -> f.put("energy_ratio_like_for_like_batch" + batch, r));
        f.put("energy_ratio_like_for_like", ratios.likeForLikeLeast());
        f.put("un0_cheapest", ratios.un0Cheapest().setting() + ", batch " + ratios.un0Cheapest().batch());
        f.put("un0_cheapest_joules_per_image", ratios.un0Cheapest().joulesPerImage());
        f.put("equal_quality_fd_target", ratios.fdTarget());
        ratios.baselineAtEqualQuality().ifPresent(b -> {
            f.put("equal_quality_baseline", b.setting() + ", batch " + b.batch());
            f.put("equal_quality_baseline_fd", quality.get(b.setting()).fd());
            f.put("equal_quality_baseline_joules_per_image", b.joulesPerImage());
        });
        // JSON null, not a number: no DDPM model has been trained, and a ratio without one would be invented.
        f.put("energy_ratio_vs_ddpm_1000", null);
        f.put("energy_ratio_equal_quality", ratios.equalQuality().orElse(null));
        f.put("headline_energy_ratio", ratios.equalQuality().orElse(ratios.likeForLikeLeast()));
        f.put("headline_energy_ratio_is", ratios.equalQuality().isPresent() ? "energy_ratio_equal_quality" : "energy_ratio_like_for_like");
        f.put("energy_source", energy.describe());
        f.put("machine", Machine.describe());
        quality.forEach((s, q) -> {
            f.put("fidelity_" + s.key() + "_sweep", q.fidelity());
            f.put("fd_" + s.key() + "_sweep", q.fd());
            f.put("precision_" + s.key() + "_sweep", q.manifold().precision());
            f.put("recall_" + s.key() + "_sweep", q.manifold().recall());
        });
        for (SpeedRow r : speed) {
            f.put("ms_per_image_" + r.setting().key() + "_b" + r.batch(), r.msPerImage());
            f.put("joules_per_image_" + r.setting().key() + "_b" + r.batch(), r.joulesPerImage());
        }
        return f;
    }
}
