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
 * then: a diurnal profile, the mean of the same hour over the last days (a week; fewer where the trace has fewer
 * before the scenario starts), shifted by how far the figure now is from that profile now, the shift fading over a
 * day. Both numbers were chosen on the tuning set's traces alone by {@link ForecastErrors} (README, "The forecast");
 * yesterday alone with a six-hour fade, used before, erred more. {@link Kind#ORACLE} instead reads the recorded future
 * itself: no policy can have it, but running with it measures what forecast errors cost.
 */
public final class Forecaster {

    /** How the hours ahead are forecast. */
    public enum Kind {
        PERSISTENCE, ORACLE
    }

    /**
     * The persistence forecast's two numbers.
     *
     * @param days      days averaged into the diurnal profile
     * @param fadeHours hours over which the departure from the profile now fades out of the forecast
     */
    public record Persistence(int days, double fadeHours) {

        /** What the simulator forecasts with: chosen on the tuning set's traces by {@link ForecastErrors}. */
        public static final Persistence CHOSEN = new Persistence(7, 24);

        public Persistence {
            if (days < 1 || !(fadeHours > 0)) {
                throw new IllegalArgumentException("a persistence forecast needs at least one day and a positive fade, not " + days + " and " + fadeHours);
            }
        }
    }

    private final Traces traces;
    private final Kind kind;
    private final Persistence persistence;

    public Forecaster(Traces traces) {
        this(traces, Kind.PERSISTENCE);
    }

    public Forecaster(Traces traces, Kind kind) {
        this(traces, kind, Persistence.CHOSEN);
    }

    Forecaster(Traces traces, Kind kind, Persistence persistence) {
        this.traces = traces;
        this.kind = kind;
        this.persistence = persistence;
    }

    /** The mean of the recorded figures at the same time of day over the {@code days} days before {@code seconds}. */
    private double profile(String region, double seconds, int days) {
        double sum = 0;
        for (int d = 1; d <= days; d++) {
            sum += traces.intensity(region, seconds - d * 86_400.0);
        }
        return sum / days;
    }

    GridSignal signal(String region, double seconds, Instant at, int hoursAhead) {
        double hourStart = Math.floor(seconds / 3600) * 3600;
        double nowFigure = traces.intensity(region, seconds);
        int days = (int) Math.min(persistence.days(), Math.floor(seconds / 86_400) + Traces.LOOKBACK_HOURS / 24);
        double shift = nowFigure - profile(region, seconds, days);
        Instant hourInstant = at.minusNanos((long) ((seconds - hourStart) * 1e9));
        List<GridSignal.Point> points = new ArrayList<>(hoursAhead);
        for (int k = 1; k <= hoursAhead; k++) {
            double forecast = kind == Kind.ORACLE ? traces.intensity(region, hourStart + k * 3600.0)
                    : Math.max(0, profile(region, hourStart + k * 3600.0, days) + shift * Math.exp(-k / persistence.fadeHours()));
            points.add(new GridSignal.Point(hourInstant.plus(Duration.ofHours(k)), Duration.ofHours(1), forecast));
        }
        return new GridSignal(region, GridIntensity.of(nowFigure, kind == Kind.ORACLE
                ? "replay + the recorded future (oracle)" : "replay + persistence forecast (a week's diurnal profile)"), points);
    }
}
