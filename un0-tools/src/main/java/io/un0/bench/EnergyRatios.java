package io.un0.bench;

import io.un0.vocabulary.Precision;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The benchmark's readings of what one step saves, as pure functions of what it measured (FD per setting, modelled
 * joules per setting and batch), so that the rules are tested on fixtures:
 * <ul>
 *   <li>like for like: the baseline at its best-FD setting against Un-0 at 1 step, both fp32, at each batch size;</li>
 *   <li>equal quality: the baseline's cheapest setting (any K, solver, precision, batch) whose FD is at least as good
 *       as that of Un-0's cheapest 1-step setting, against that setting. The baseline only has to match the quality
 *       Un-0 delivers where Un-0 is cheapest, never to beat it, so the ratio does not flatter Un-0.</li>
 * </ul>
 *
 * @param un0Cheapest            Un-0's cheapest 1-step row, any precision and batch
 * @param fdTarget               that row's FD: the quality the baseline has to reach
 * @param baselineBest           the baseline's fp32 setting with the lowest FD
 * @param baselineBestFd         its FD
 * @param likeForLike            by batch size: baseline at its best setting over Un-0 fp32 at 1 step
 * @param baselineAtEqualQuality the baseline's cheapest row reaching {@code fdTarget}; empty where none does
 */
public record EnergyRatios(SpeedRow un0Cheapest, double fdTarget, Setting baselineBest, double baselineBestFd,
                           Map<Integer, Double> likeForLike, Optional<SpeedRow> baselineAtEqualQuality) {

    private static final String FP32 = Precision.FP32.configName();

    public static EnergyRatios of(String un0Model, String baselineModel, Map<Setting, Double> fd, List<SpeedRow> speed) {
        SpeedRow un0 = cheapestOneStep(un0Model, speed);
        double target = fd.get(un0.setting());
        Setting best = fd.keySet().stream().filter(s -> s.model().equals(baselineModel) && s.precision().equals(FP32))
                .min(Comparator.comparingDouble(fd::get))
                .orElseThrow(() -> new IllegalArgumentException("no fp32 quality measured for " + baselineModel));
        Map<Integer, Double> likeForLike = new TreeMap<>();
        for (SpeedRow b : speed) {
            if (b.setting().equals(best)) {
                speed.stream().filter(u -> u.batch() == b.batch() && u.setting().model().equals(un0Model)
                                && u.setting().steps() == 1 && u.setting().precision().equals(FP32))
                        .findFirst().ifPresent(u -> likeForLike.put(b.batch(), b.joulesPerImage() / u.joulesPerImage()));
            }
        }
        Optional<SpeedRow> equal = speed.stream().filter(r -> r.setting().model().equals(baselineModel))
                .filter(r -> fd.containsKey(r.setting()) && fd.get(r.setting()) <= target)
                .min(Comparator.comparingDouble(SpeedRow::joulesPerImage));
        return new EnergyRatios(un0, target, best, fd.get(best), likeForLike, equal);
    }

    /** The cheapest 1-step row of {@code model}, any precision and batch. */
    public static SpeedRow cheapestOneStep(String model, List<SpeedRow> speed) {
        return speed.stream().filter(r -> r.setting().model().equals(model) && r.setting().steps() == 1)
                .min(Comparator.comparingDouble(SpeedRow::joulesPerImage))
                .orElseThrow(() -> new IllegalArgumentException("no 1-step speed measured for " + model));
    }

    public Optional<Double> equalQuality() {
        return baselineAtEqualQuality.map(b -> b.joulesPerImage() / un0Cheapest.joulesPerImage());
    }

    /** The like-for-like figure a sceptic would quote: the smallest over the batch sizes. */
    public double likeForLikeLeast() {
        return likeForLike.values().stream().mapToDouble(Double::doubleValue).min()
                .orElseThrow(() -> new IllegalStateException("no batch size measured for both " + baselineBest + " and Un-0 fp32"));
    }
}
