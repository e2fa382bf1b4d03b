package io.un0.scheduler.grid;

import io.un0.carbon.CarbonIntensitySource;
import io.un0.carbon.FallbackIntensity;
import io.un0.carbon.SignalUnavailableException;
import io.un0.carbon.StaticIntensity;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Each configured region's feed, every misconfiguration refused at start with the key to fix. */
public final class GridFeeds {

    private GridFeeds() {
    }

    /**
     * @param start the scheduler's start: a replay maps it to its {@code replay-start}
     * @throws IllegalArgumentException naming the key, for a missing or wrong setting or an unreadable trace
     */
    public static GridFeed of(String region, GridConfig.Region config, Instant start, HttpClient http, Duration timeout) {
        String key = "un0.scheduler.grid.regions." + region + ".";
        String zone = config.zone().orElse(region);
        GridSourceKind.Opened source = GridSourceKind.named(config.source(), key + "source")
                .open(new GridSourceKind.Context(zone, config, key, start, http, timeout));
        CarbonIntensitySource fallback = config.fallbackGramsPerKwh().isPresent()
                ? new StaticIntensity(Map.of(zone, config.fallbackGramsPerKwh().getAsDouble()), "declared fallback in " + key + "fallback-grams-per-kwh")
                : (asked, now) -> {
                    throw new SignalUnavailableException("no fallback declared in " + key + "fallback-grams-per-kwh");
                };
        return new GridFeed(region, zone, new FallbackIntensity(source.current(), fallback), source.forecast(), source.shift());
    }
}
