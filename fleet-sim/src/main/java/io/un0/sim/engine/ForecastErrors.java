package io.un0.sim.engine;

import io.un0.routing.GridSignal;
import io.un0.sim.scenario.Scenario;
import io.un0.sim.scenario.Traces;
import java.time.Instant;
import java.util.List;

/**
 * How well a persistence forecast would have done over a scenario's span, measured against the recorded figures: the
 * procedure that chose {@link Forecaster.Persistence#CHOSEN} on the tuning set. At the start of every hour, in every
 * region, the next {@link #HOURS_AHEAD} hours are forecast from the past alone and compared with what was recorded.
 *
 * @param meanRelativeError the mean of |forecast − recorded| / recorded over every forecast hour (recorded figures
 *                          under 1 g/kWh count as 1, so that a near-zero marginal figure does not dominate)
 * @param regret            the mean of how much dirtier the hour the forecast named cheapest was than the truly cheapest
 *                          hour of the same forecast, relative to the latter: what a job held on that forecast gives up
 */
public record ForecastErrors(double meanRelativeError, double regret) {

    /** As far ahead as the shipped scenarios let deferrable work wait. */
    public static final int HOURS_AHEAD = 12;

    public static ForecastErrors measure(Scenario scenario, Traces traces, Forecaster.Persistence persistence) {
        Forecaster forecaster = new Forecaster(traces, Forecaster.Kind.PERSISTENCE, persistence);
        double span = scenario.end().getEpochSecond() - scenario.start().getEpochSecond();
        double relative = 0;
        double regret = 0;
        long points = 0;
        long forecasts = 0;
        for (String region : scenario.regions()) {
            for (double at = 0; at + HOURS_AHEAD * 3600.0 <= span; at += 3600) {
                Instant instant = scenario.start().plusSeconds((long) at);
                List<GridSignal.Point> ahead = forecaster.signal(region, at, instant, HOURS_AHEAD).forecast();
                int named = 0;
                double cheapest = Double.POSITIVE_INFINITY;
                for (int k = 0; k < HOURS_AHEAD; k++) {
                    double recorded = traces.intensity(region, at + (k + 1) * 3600.0);
                    relative += Math.abs(ahead.get(k).gramsPerKwh() - recorded) / Math.max(1, recorded);
                    points++;
                    cheapest = Math.min(cheapest, recorded);
                    if (ahead.get(k).gramsPerKwh() < ahead.get(named).gramsPerKwh()) {
                        named = k;
                    }
                }
                regret += (traces.intensity(region, at + (named + 1) * 3600.0) - cheapest) / Math.max(1, cheapest);
                forecasts++;
            }
        }
        return new ForecastErrors(relative / points, regret / forecasts);
    }
}
