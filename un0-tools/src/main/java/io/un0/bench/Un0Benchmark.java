package io.un0.bench;

import com.sun.management.OperatingSystemMXBean;
import io.un0.vocabulary.CpuEnergyModel;
import io.un0.engine.Un0Engine;
import io.un0.quality.QualityEvaluator;
import io.un0.quality.QualityEvaluator.Quality;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generator benchmark: for every step count, precision and batch size, wall time, CPU time, FLOPs and
 * modelled energy per image; quality per step count; and the headline energy ratio between the iterative
 * baseline and Un-0.
 */
public final class Un0Benchmark {

    /** The iterative baseline is taken at the smallest K whose FD is within this factor of the best. */
    static final double QUALITY_PLATEAU = 1.05;
    private static final long SEED = 1_000_000L;

    private final CpuEnergyModel energy;
    private final double minSecondsPerRow;
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public Un0Benchmark(CpuEnergyModel energy, double minSecondsPerRow) {
        this.energy = energy;
        this.minSecondsPerRow = minSecondsPerRow;
    }

    /** Runs whole batches until at least the minimum time has passed and at least two batches ran (after one warm-up batch). */
    public SpeedRow speed(Un0Engine engine, int steps, int batch) {
        int[] labels = new int[batch];
        long[] seeds = new long[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % engine.manifest().classNames().size();
            seeds[i] = SEED + i;
        }
        engine.generate(labels, seeds, steps);
        long wall0 = System.nanoTime();
        long cpu0 = os.getProcessCpuTime();
        int images = 0;
        int batches = 0;
        while (batches < 2 || System.nanoTime() - wall0 < minSecondsPerRow * 1e9) {
            engine.generate(labels, seeds, steps);
            images += batch;
            batches++;
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        double cpuPerImage = cpu / images;
        return new SpeedRow(engine.manifest().precision(), steps, batch, images, wall * 1000 / images, cpuPerImage,
                engine.manifest().flopsPerEvaluation() * steps, energy.joules(cpuPerImage));
    }

    /** Everything measured, and the flat figures derived from it. */
    public record Report(List<SpeedRow> speed, List<Quality> quality, Map<String, Object> figures) {
    }

    public Report run(List<Un0Engine> engines, QualityEvaluator evaluator, List<Integer> stepCounts, List<Integer> batches,
                      int sweepSamples, java.io.PrintStream log) {
        List<SpeedRow> speed = new ArrayList<>();
        for (Un0Engine engine : engines) {
            for (int k : stepCounts) {
                for (int b : batches) {
                    SpeedRow row = speed(engine, k, b);
                    log.printf("speed %-4s K=%-3d batch=%-2d %9.3f ms/image %9.5f CPU-s/image %8.4f J/image (modelled)%n",
                            row.precision(), k, b, row.msPerImage(), row.cpuSecondsPerImage(), row.joulesPerImage());
                    speed.add(row);
                }
            }
        }
        List<Quality> quality = new ArrayList<>();
        Un0Engine fp32 = engines.get(0);
        for (int k : stepCounts) {
            quality.add(logged(evaluator.evaluate(fp32, k, sweepSamples, SEED), log));
        }
        for (Un0Engine engine : engines.subList(1, engines.size())) {
            quality.add(logged(evaluator.evaluate(engine, 1, sweepSamples, SEED), log));
        }
        return new Report(speed, quality, figures(speed, quality, sweepSamples));
    }

    private static Quality logged(Quality q, java.io.PrintStream log) {
        log.printf("quality %-4s K=%-3d fidelity %.4f FD %.3f precision %.4f recall %.4f (%d images against as many test images)%n",
                q.precision(), q.steps(), q.fidelity(), q.fd(), q.manifold().precision(), q.manifold().recall(), q.samples());
        return q;
    }

    private Map<String, Object> figures(List<SpeedRow> speed, List<Quality> quality, int sweepSamples) {
        List<Quality> fp32 = quality.stream().filter(q -> q.precision().equals("fp32")).toList();
        Quality best = fp32.stream().min(Comparator.comparingDouble(Quality::fd)).orElseThrow();
        Quality plateau = fp32.stream().filter(q -> q.fd() <= best.fd() * QUALITY_PLATEAU)
                .min(Comparator.comparingInt(Quality::steps)).orElseThrow();
        Quality oneStep = fp32.stream().filter(q -> q.steps() == 1).findFirst().orElseThrow();
        SpeedRow baseline = speed.stream().filter(r -> r.precision().equals("fp32") && r.batch() == 1 && r.steps() == plateau.steps())
                .findFirst().orElseThrow();
        // Un-0 at its cheapest: any precision whose 1-step fidelity stays within 2 points of fp32's, any batch.
        SpeedRow un0 = speed.stream().filter(r -> r.steps() == 1)
                .filter(r -> quality.stream().anyMatch(q -> q.steps() == 1 && q.precision().equals(r.precision())
                        && q.fidelity() >= oneStep.fidelity() - 0.02))
                .min(Comparator.comparingDouble(SpeedRow::joulesPerImage)).orElseThrow();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("best_k", best.steps());
        f.put("fd_best_k", best.fd());
        f.put("fd_sweep_samples", sweepSamples);
        f.put("sweep_seed", SEED);
        f.put("baseline_precision_best", best.manifold().precision());
        f.put("baseline_recall_best", best.manifold().recall());
        f.put("fd_1step_fp32_sweep", oneStep.fd());
        f.put("fd_ratio_1step_to_best_k", oneStep.fd() / best.fd());
        f.put("baseline_k", plateau.steps());
        f.put("baseline_fd", plateau.fd());
        f.put("baseline_joules_per_image", baseline.joulesPerImage());
        f.put("un0_config", un0.precision() + ", batch " + un0.batch() + ", 1 step");
        f.put("un0_joules_per_image", un0.joulesPerImage());
        f.put("headline_energy_ratio", baseline.joulesPerImage() / un0.joulesPerImage());
        f.put("energy_source", energy.describe());
        f.put("machine", Machine.describe());
        for (Quality q : quality) {
            f.put("fidelity_k" + q.steps() + "_" + q.precision() + "_sweep", q.fidelity());
            f.put("fd_k" + q.steps() + "_" + q.precision() + "_sweep", q.fd());
            f.put("precision_k" + q.steps() + "_" + q.precision() + "_sweep", q.manifold().precision());
            f.put("recall_k" + q.steps() + "_" + q.precision() + "_sweep", q.manifold().recall());
        }
        for (SpeedRow r : speed) {
            String key = r.precision() + "_k" + r.steps() + "_b" + r.batch();
            f.put("ms_per_image_" + key, r.msPerImage());
            f.put("joules_per_image_" + key, r.joulesPerImage());
        }
        return f;
    }
}
