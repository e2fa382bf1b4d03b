package io.un0.scheduler.mapping;

import io.un0.routing.Rate;
import io.un0.vocabulary.Precision;
import java.util.EnumSet;
import java.util.Map;

/**
 * What operators declare about one worker of a device class, for what its heartbeats do not measure: its idle
 * draw, its hardware's embodied emissions (SCI's M), and its speed and energy per precision until it has measured
 * them itself.
 *
 * @param idleWatts              drawn with nothing to run
 * @param rates                  per precision: used where the worker has not measured that precision yet
 * @param embodiedGramsPerSecond the embodied emissions of the hardware one worker holds, spread over its service life
 */
public record DeclaredHardware(double idleWatts, Map<Precision, Rate> rates, double embodiedGramsPerSecond) {

    /** A Julian year, 365.25 days. */
    private static final double SECONDS_PER_YEAR = 365.25 * 86_400;

    public DeclaredHardware {
        rates = Map.copyOf(rates);
        // Every precision: a worker may serve any of them before it has measured one.
        if (!rates.keySet().equals(EnumSet.allOf(Precision.class))) {
            throw new IllegalArgumentException("declared rates must cover exactly " + EnumSet.allOf(Precision.class) + ", got " + rates.keySet());
        }
        if (!(idleWatts >= 0) || Double.isInfinite(idleWatts) || !(embodiedGramsPerSecond >= 0) || Double.isInfinite(embodiedGramsPerSecond)) {
            throw new IllegalArgumentException("idle watts and embodied g/s must be finite and ≥ 0, got " + idleWatts + ", " + embodiedGramsPerSecond);
        }
    }

    /** @param embodiedKg kgCO2e to make the hardware one worker holds, written off over {@code lifetimeYears} */
    public static DeclaredHardware of(double idleWatts, Map<Precision, Rate> rates, double embodiedKg, double lifetimeYears) {
        if (!(lifetimeYears > 0) || !(embodiedKg >= 0)) {
            throw new IllegalArgumentException("embodied kg must be ≥ 0 and lifetime years > 0, got " + embodiedKg + ", " + lifetimeYears);
        }
        return new DeclaredHardware(idleWatts, rates, embodiedKg * 1000 / (lifetimeYears * SECONDS_PER_YEAR));
    }
}
