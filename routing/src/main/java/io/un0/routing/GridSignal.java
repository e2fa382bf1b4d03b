package io.un0.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A region's grid carbon intensity as the scheduler knows it at decision time: the figure in force and the
 * forecast as it was issued by then (never later).
 *
 * @param forecast hourly points after now, earliest first; empty where the source gives none
 */
public record GridSignal(String region, double gramsPerKwh, String source, boolean stale, List<Point> forecast) {

    public GridSignal {
        if (!(gramsPerKwh >= 0) || Double.isInfinite(gramsPerKwh)) {
            throw new IllegalArgumentException("intensity for " + region + " must be finite and ≥ 0, got " + gramsPerKwh);
        }
        forecast = List.copyOf(forecast);
    }

    public static GridSignal now(String region, double gramsPerKwh, String source) {
        return new GridSignal(region, gramsPerKwh, source, false, List.of());
    }

    /** @param from the start of the interval the figure describes */
    public record Point(Instant from, Duration length, double gramsPerKwh) {
    }
}
