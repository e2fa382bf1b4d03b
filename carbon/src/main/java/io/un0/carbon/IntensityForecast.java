package io.un0.carbon;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Forecasts of a region's intensity, as they were known at {@code now}: only a forecast issued at or before
 * {@code now} may be used, so a deferral decided on a replayed trace is one that could have been made live.
 */
public interface IntensityForecast {

    /**
     * @return the points of the newest forecast issued at or before {@code now} that fall after {@code now} and
     * within the horizon, earliest first
     * @throws SignalUnavailableException when no forecast had been issued by then
     */
    List<IntensitySignal> forecast(String region, Instant now, Duration horizon) throws SignalUnavailableException;
}
