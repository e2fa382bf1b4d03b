package io.un0.sim.engine;

import io.un0.routing.GridSignal;
import io.un0.sim.scenario.Traces;
import io.un0.vocabulary.GridIntensity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The grid signal the policy sees at an instant: the recorded figure of the hour, and a forecast of the next hours
 * made only from what was recorded by then. The recorded Electricity Maps traces carry no forecasts, so the
 * forecast is diurnal persistence: the same hour yesterday, shifted by how far today is from yesterday now, that
 * shift fading over six hours.
 */
public final class Forecaster {

    private final Traces traces;

    public Forecaster(Traces traces) {
        this.traces = traces;
    }

    GridSignal signal(String region, double seconds, Instant at, int hoursAhead) {
        double hourStart = Math.floor(seconds / 3600) * 3600;
        double nowFigure = traces.intensity(region, seconds);
        double shift = nowFigure - traces.intensity(region, seconds - 86_400);
        Instant hourInstant = at.minusNanos((long) ((seconds - hourStart) * 1e9));
        List<GridSignal.Point> points = new ArrayList<>(hoursAhead);
        for (int k = 1; k <= hoursAhead; k++) {
            double yesterday = traces.intensity(region, hourStart + k * 3600.0 - 86_400);
            double forecast = Math.max(0, yesterday + shift * Math.exp(-k / 6.0));
            points.add(new GridSignal.Point(hourInstant.plus(Duration.ofHours(k)), Duration.ofHours(1), forecast));
        }
        return new GridSignal(region, GridIntensity.of(nowFigure, "replay + diurnal persistence forecast"), points);
    }
}
