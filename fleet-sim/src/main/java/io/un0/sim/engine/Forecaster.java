package io.un0.sim.engine;

import io.un0.routing.GridSignal;
import io.un0.sim.scenario.Traces;
import io.un0.vocabulary.GridIntensity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The grid signal the policy sees at an instant: the recorded figure of the hour, and a forecast of the next hours.
 * The recorded Electricity Maps traces carry no forecasts, so the forecast is made only from what was recorded by
 * then: diurnal persistence, the same hour yesterday, shifted by how far today is from yesterday now, that shift
 * fading over six hours. {@link Kind#ORACLE} instead reads the recorded future itself: no policy can have it, but
 * running with it measures what forecast errors cost.
 */
public final class Forecaster {

    /** How the hours ahead are forecast. */
    public enum Kind {
        PERSISTENCE, ORACLE
    }

    private final Traces traces;
    private final Kind kind;

    public Forecaster(Traces traces) {
        this(traces, Kind.PERSISTENCE);
    }

    public Forecaster(Traces traces, Kind kind) {
        this.traces = traces;
        this.kind = kind;
    }

    GridSignal signal(String region, double seconds, Instant at, int hoursAhead) {
        double hourStart = Math.floor(seconds / 3600) * 3600;
        double nowFigure = traces.intensity(region, seconds);
        double shift = nowFigure - traces.intensity(region, seconds - 86_400);
        Instant hourInstant = at.minusNanos((long) ((seconds - hourStart) * 1e9));
        List<GridSignal.Point> points = new ArrayList<>(hoursAhead);
        for (int k = 1; k <= hoursAhead; k++) {
            double forecast = kind == Kind.ORACLE ? traces.intensity(region, hourStart + k * 3600.0)
                    : Math.max(0, traces.intensity(region, hourStart + k * 3600.0 - 86_400) + shift * Math.exp(-k / 6.0));
            points.add(new GridSignal.Point(hourInstant.plus(Duration.ofHours(k)), Duration.ofHours(1), forecast));
        }
        return new GridSignal(region, GridIntensity.of(nowFigure, kind == Kind.ORACLE
                ? "replay + the recorded future (oracle)" : "replay + diurnal persistence forecast"), points);
    }
}
