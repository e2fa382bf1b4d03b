package io.un0.bench;

import io.un0.quality.QualityEvaluator.Quality;

import java.util.List;
import java.util.Map;

/** Renders a benchmark report as the Markdown page {@code docs/bench/un0.md}. */
public final class BenchTable {

    private static final String EVAL_HEADING = "## Un-0 at 1 step over several seeds (`un0 eval`)";
    private static final String SETTINGS_HEADING = "## Quality, speed and energy per setting";

    private BenchTable() {
    }

    public static String markdown(Un0Benchmark.Report report, Map<String, Object> figures) {
        EnergyRatios ratios = report.ratios();
        StringBuilder md = new StringBuilder();
        md.append("# Un-0 generator benchmark\n\n")
                .append("Written by `bin/un0 bench` (and `bin/un0 eval` for the figures over several seeds); do not edit by hand.\n\n")
                .append("- Machine: ").append(figures.get("machine")).append('\n')
                .append("- Energy: ").append(figures.get("energy_source"))
                .append(". Boundary: the benchmark's own JVM process (ONNX Runtime inside it), one intra-op thread per session.\n")
                .append("- FD is the Fréchet distance in our own Fashion-MNIST judge's feature space, **not Inception FID**;")
                .append(" precision and recall are k-NN manifold measures (k = 3) in the same space. Every setting below is judged on ")
                .append(figures.get("fd_sweep_samples")).append(" generated images against as many test images, noise seed ")
                .append(figures.get("sweep_seed")).append(": FD grows as samples shrink, so compare figures only at equal sample sizes.\n")
                .append("- The baseline is `").append(ratios.baselineBest().model())
                .append("`: the same network, data and seed as Un-0, trained with the plain flow-matching objective,")
                .append(" sampled with Euler steps at K = ").append(figures.get("baseline_sweep_euler")).append(" and Heun steps at K = ")
                .append(figures.get("baseline_sweep_heun")).append(" (one Heun step is an Euler step); a solver's sweep stops early once")
                .append(" two step counts in a row fail to improve its best FD.\n\n");
        md.append("## Energy ratios\n\n");
        Quality un0 = report.quality().get(ratios.un0Cheapest().setting());
        md.append(String.format("Un-0 at its cheapest: %s, batch %d: %.5f J/image (modelled), FD %.3f.%n%n",
                ratios.un0Cheapest().setting(), ratios.un0Cheapest().batch(), ratios.un0Cheapest().joulesPerImage(), un0.fd()));
        md.append(ratios.baselineAtEqualQuality().map(b -> String.format(
                        "- **Equal quality (`energy_ratio_equal_quality`): %.1f×.** The baseline's cheapest setting whose FD is at most Un-0's %.3f"
                                + " (any K, solver, precision and batch) is %s, batch %d: FD %.3f, %.5f J/image.%n",
                        ratios.equalQuality().orElseThrow(), ratios.fdTarget(), b.setting(), b.batch(),
                        report.quality().get(b.setting()).fd(), b.joulesPerImage()))
                .orElse(String.format("- Equal quality: no swept baseline setting reached Un-0's FD %.3f, so there is no equal-quality ratio.%n",
                        ratios.fdTarget())));
        md.append(String.format("- Like for like (`energy_ratio_like_for_like`, the smaller over batch sizes: %.1f×): the baseline at its best FD,"
                + " %s (FD %.3f), against Un-0 fp32 at 1 step, same batch and threads:", ratios.likeForLikeLeast(), ratios.baselineBest(),
                ratios.baselineBestFd()));
        ratios.likeForLike().forEach((batch, r) -> md.append(String.format(" batch %d %.1f×;", batch, r)));
        md.setLength(md.length() - 1);
        md.append(".\n")
                .append("- Against a 1,000-step DDPM sampler (`energy_ratio_vs_ddpm_1000`): not measured; no DDPM model has been trained.\n\n")
                .append("`headline_energy_ratio` is `").append(figures.get("headline_energy_ratio_is")).append("`.\n\n")
                .append(String.format("Quality gap: Un-0's 1-step fp32 FD is %.2f× the baseline's best.%n%n", (Double) figures.get("fd_ratio_1step_to_best_k")));
        md.append(evalSection(figures));
        List<Integer> batches = report.speed().stream().map(SpeedRow::batch).distinct().sorted().toList();
        md.append(SETTINGS_HEADING).append("\n\n| model | precision | solver | K | evaluations | GFLOPs/image | class fidelity | FD | precision | recall |");
        batches.forEach(b -> md.append(" ms/image, batch ").append(b).append(" | J/image, batch ").append(b).append(" |"));
        md.append("\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|").append("---:|---:|".repeat(batches.size())).append('\n');
        report.quality().forEach((s, q) -> {
            List<SpeedRow> rows = report.speed().stream().filter(r -> r.setting().equals(s)).toList();
            md.append(String.format("| %s | %s | %s | %d | %d | %s | %.4f | %.3f | %.4f | %.4f |", s.model(), s.precision(), s.solver().id(),
                    s.steps(), s.evaluations(), rows.isEmpty() ? "" : String.format("%.3f", rows.get(0).flopsPerImage() / 1e9),
                    q.fidelity(), q.fd(), q.manifold().precision(), q.manifold().recall()));
            for (int b : batches) {
                rows.stream().filter(r -> r.batch() == b).findFirst().ifPresentOrElse(
                        r -> md.append(String.format(" %.3f | %.5f |", r.msPerImage(), r.joulesPerImage())), () -> md.append(" | |"));
            }
            md.append('\n');
        });
        return md.toString();
    }

    /**
     * The page's section of {@code un0 eval}'s figures over several seeds, empty before any eval: {@code un0 eval} writes
     * it into the page the last bench wrote, so the page holds the latest of both whichever ran last.
     */
    public static String evalSection(Map<String, Object> figures) {
        if (!figures.containsKey("fd_real_floor") || !figures.containsKey("fd_1step_fp32_sd")) {
            return "";
        }
        StringBuilder md = new StringBuilder(String.format(EVAL_HEADING + "%n%n"
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
        return md.append('\n').toString();
    }

    /** {@code page} (a page {@link #markdown} wrote) with its eval section replaced by one of {@code figures}. */
    public static String withEvalSection(String page, Map<String, Object> figures) {
        int from = page.indexOf(EVAL_HEADING);
        int to = page.indexOf(SETTINGS_HEADING);
        if (to < 0) {
            throw new IllegalArgumentException("not a page un0 bench wrote: no \"" + SETTINGS_HEADING + "\"");
        }
        return page.substring(0, from < 0 ? to : from) + evalSection(figures) + page.substring(to);
    }

    private static String spread(Map<String, Object> figures, String key, String format) {
        return String.format(format + " ± " + format, (Double) figures.get(key), (Double) figures.get(key + "_sd"));
    }
}
