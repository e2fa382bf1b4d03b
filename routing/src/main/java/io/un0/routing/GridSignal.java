package io.un0.routing;

import io.un0.vocabulary.GridIntensity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A region's grid carbon intensity as the scheduler knows it at decision time: the figure in force and the
 * forecast as it was issued by then (never later).
 *
 * @param forecast hourly points after now, earliest first; empty where the source gives none
 */
public record GridSignal(String region, GridIntensity intensity, List<Point> forecast) {

    public GridSignal {
        forecast = List.copyOf(forecast);
    }

    public static GridSignal now(String region, double gramsPerKwh, String source) {
        return new GridSignal(region, GridIntensity.of(gramsPerKwh, source), List.of());
    }

    /** @param from the start of the interval the figure describes */
    public record Point(Instant from, Duration length, double gramsPerKwh) {
    }
}
