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
                .append("- FD-FMNIST is the Fréchet distance of our own Fashion-MNIST classifier's penultimate features, ")
                .append("**not Inception FID**; the sweep uses ").append(figures.get("fd_sweep_samples"))
                .append(" generated images against the 10,000 test images, so compare it only within this table.\n\n");
        md.append("## Headline\n\n")
                .append(String.format("Iterative baseline: K = %s (the smallest K within %.0f %% of the best FD), fp32, batch 1: %.4f J/image (modelled).%n%n",
                        figures.get("baseline_k"), (Un0Benchmark.QUALITY_PLATEAU - 1) * 100, (Double) figures.get("baseline_joules_per_image")))
                .append(String.format("Un-0: %s: %.6f J/image (modelled). **Energy ratio %.0f×.**%n%n",
                        figures.get("un0_config"), (Double) figures.get("un0_joules_per_image"), (Double) figures.get("headline_energy_ratio")))
                .append(String.format("Quality: 1-step FD-FMNIST %.3f against %.3f at the best K = %s (ratio %.2f).%n%n",
                        (Double) figures.get("fd_1step_fp32_sweep"), (Double) figures.get("fd_best_k"), figures.get("best_k"),
                        (Double) figures.get("fd_ratio_1step_to_best_k")));
        md.append("## Quality per step count\n\n| precision | K | class fidelity | FD-FMNIST | images |\n|---|---:|---:|---:|---:|\n");
        for (Quality q : report.quality()) {
            md.append(String.format("| %s | %d | %.4f | %.3f | %d |%n", q.precision(), q.steps(), q.fidelity(), q.fd(), q.samples()));
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
}
