package io.un0.bench;

import io.un0.quality.QualityEvaluator.Quality;

import java.util.List;
import java.util.Map;

/** Renders a benchmark report as the Markdown page {@code docs/bench/un0.md}. */
public final class BenchTable {

    private BenchTable() {
    }

    public static String markdown(Un0Benchmark.Report report, Map<String, Object> figures) {
        StringBuilder md = new StringBuilder();
        md.append("# Un-0 generator benchmark\n\n")
                .append("Written by `bin/un0 bench` (and `bin/un0 eval` for the 10,000-image figures); do not edit by hand.\n\n")
                .append("- Machine: ").append(figures.get("machine")).append('\n')
                .append("- Energy: ").append(figures.get("energy_source")).append('\n')
                .append("- FD is the Fréchet distance in our own Fashion-MNIST judge's feature space, **not Inception FID**;")
                .append(" precision and recall are k-NN manifold measures (k = 3) in the same space. The sweep compares ")
                .append(figures.get("fd_sweep_samples")).append(" generated images with as many test images, seed ").append(figures.get("sweep_seed"))
                .append(": FD grows as samples shrink, so compare figures only at equal sample sizes.\n\n");
        md.append("## Headline\n\n")
                .append(String.format("Iterative baseline: K = %s (the smallest K within %.0f %% of the best FD), fp32, batch 1: %.4f J/image (modelled).%n%n",
                        figures.get("baseline_k"), (Un0Benchmark.QUALITY_PLATEAU - 1) * 100, (Double) figures.get("baseline_joules_per_image")))
                .append(String.format("Un-0: %s: %.6f J/image (modelled). **Energy ratio %.0f×.**%n%n",
                        figures.get("un0_config"), (Double) figures.get("un0_joules_per_image"), (Double) figures.get("headline_energy_ratio")))
                .append(String.format("Quality: 1-step FD %.3f against %.3f at the best K = %s (ratio %.2f).%n%n",
                        (Double) figures.get("fd_1step_fp32_sweep"), (Double) figures.get("fd_best_k"), figures.get("best_k"),
                        (Double) figures.get("fd_ratio_1step_to_best_k")));
        md.append("The iterative baseline above is the shortcut network's own K-step sampler: an independent flow-matching")
                .append(" baseline, trained without one-step terms, is not trained yet.\n\n");
        if (figures.containsKey("fd_real_floor") && figures.containsKey("fd_1step_fp32_sd")) {
            md.append(String.format("## 1 step, judged at equal sample sizes (`un0 eval`)%n%n"
                            + "%s generated images against as many test images, mean ± standard deviation over seeds %s. Judge: test accuracy %.4f, %s of %s features dead.%n%n",
                    figures.get("fd_samples"), figures.get("eval_seeds"), (Double) figures.get("classifier_test_accuracy"),
                    figures.get("judge_dead_features"), figures.get("judge_features")))
                    .append("| images | class fidelity | FD | precision | recall |\n|---|---:|---:|---:|---:|\n")
                    .append(String.format("| real training images (floor) | | %.3f | %.4f | %.4f |%n", (Double) figures.get("fd_real_floor"),
                            (Double) figures.get("precision_real_floor"), (Double) figures.get("recall_real_floor")));
            for (String p : List.of("fp32", "int8")) {
                md.append(String.format("| Un-0, 1 step, %s | %s | %s | %s | %s |%n", p, spread(figures, "fidelity_1step_" + p, "%.4f"),
                        spread(figures, "fd_1step_" + p, "%.3f"), spread(figures, "precision_1step_" + p, "%.4f"),
                        spread(figures, "recall_1step_" + p, "%.4f")));
            }
            md.append('\n');
        }
        md.append("## Quality per step count\n\n| numeric precision | K | class fidelity | FD | precision | recall | images |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Quality q : report.quality()) {
            md.append(String.format("| %s | %d | %.4f | %.3f | %.4f | %.4f | %d |%n", q.precision(), q.steps(), q.fidelity(), q.fd(),
                    q.manifold().precision(), q.manifold().recall(), q.samples()));
        }
        md.append("\n## Speed and energy per image\n\n")
                .append("| precision | K | batch | ms/image | CPU-s/image | GFLOPs/image | J/image (modelled) |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        List<SpeedRow> rows = report.speed();
        for (SpeedRow r : rows) {
            md.append(String.format("| %s | %d | %d | %.3f | %.5f | %.3f | %.5f |%n", r.precision(), r.steps(), r.batch(),
                    r.msPerImage(), r.cpuSecondsPerImage(), r.flopsPerImage() / 1e9, r.joulesPerImage()));
        }
        return md.toString();
    }

    private static String spread(Map<String, Object> figures, String key, String format) {
        return String.format(format + " ± " + format, (Double) figures.get(key), (Double) figures.get(key + "_sd"));
    }
}
