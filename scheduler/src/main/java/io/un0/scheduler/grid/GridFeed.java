package io.un0.scheduler.grid;

import io.un0.carbon.CarbonIntensitySource;
import io.un0.carbon.IntensityForecast;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One region's signal as the publisher reads it.
 *
 * @param region   as workers name it, and as the signal is keyed
 * @param zone     as the source names it
 * @param current  the source behind its fallback: last good figure, then the declared one, both flagged stale
 * @param forecast where the source gives one
 * @param shift    added to the wall clock to get the source's time: a replayed trace's distance from now, else zero
 */
public record GridFeed(String region, String zone, CarbonIntensitySource current, Optional<IntensityForecast> forecast, Duration shift) {

    Instant sourceTime(Instant now) {
        return now.plus(shift);
    }

    Instant wallTime(Instant sourceTime) {
        return sourceTime.minus(shift);
    }
}
