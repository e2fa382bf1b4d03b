package io.un0.scheduler.grid;

import io.un0.carbon.CarbonAwareSdkApi;
import io.un0.carbon.CarbonIntensitySource;
import io.un0.carbon.ElectricityMapsApi;
import io.un0.carbon.ElectricityMapsExport;
import io.un0.carbon.FallbackIntensity;
import io.un0.carbon.IntensityForecast;
import io.un0.carbon.SignalUnavailableException;
import io.un0.carbon.StaticIntensity;
import io.un0.carbon.TraceFolders;
import io.un0.carbon.TraceReplay;
import io.un0.carbon.UkCarbonIntensityApi;
import io.un0.carbon.WattTimeApi;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

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
        Duration shift = Duration.ZERO;
        IntensityForecast forecast = null;
        CarbonIntensitySource primary;
        switch (config.source()) {
            case "static" -> primary = new StaticIntensity(Map.of(zone, required(config.gramsPerKwh(), key + "grams-per-kwh")),
                    config.declaredAs().orElse("static: declared in " + key + "grams-per-kwh"));
            case "replay" -> {
                TraceReplay replay = replay(zone, config, key);
                // By default the trace's same instant of the year: a June afternoon replays a June afternoon.
                Instant traceStart = config.replayStart().orElseGet(() -> start.atZone(ZoneOffset.UTC).withYear(config.year()).toInstant());
                shift = Duration.between(start, traceStart);
                primary = replay;
            }
            case "electricitymaps" -> primary = new ElectricityMapsApi(config.url().orElse(URI.create("https://api.electricitymap.org")),
                    required(config.token(), key + "token"), http, timeout);
            case "watttime" -> {
                WattTimeApi api = new WattTimeApi(new WattTimeApi.Config(config.url().orElse(WattTimeApi.Config.PRODUCTION),
                        required(config.username(), key + "username"), required(config.password(), key + "password"), zone),
                        http, timeout);
                primary = api;
                forecast = api;
            }
            case "uk" -> {
                if (!zone.equals(UkCarbonIntensityApi.REGION)) {
                    throw new IllegalArgumentException(key + "zone: the UK Carbon Intensity API covers " + UkCarbonIntensityApi.REGION
                            + " only, not " + zone);
                }
                primary = new UkCarbonIntensityApi(config.url().orElse(URI.create("https://api.carbonintensity.org.uk")), http, timeout);
            }
            case "carbon-aware-sdk" -> primary = new CarbonAwareSdkApi(required(config.url(), key + "url"), http, timeout);
            default -> throw new IllegalArgumentException(key + "source: '" + config.source()
                    + "' is not one of static, replay, electricitymaps, watttime, uk, carbon-aware-sdk");
        }
        CarbonIntensitySource fallback = config.fallbackGramsPerKwh().isPresent()
                ? new StaticIntensity(Map.of(zone, config.fallbackGramsPerKwh().getAsDouble()), "declared fallback in " + key + "fallback-grams-per-kwh")
                : (asked, now) -> {
                    throw new SignalUnavailableException("no fallback declared in " + key + "fallback-grams-per-kwh");
                };
        return new GridFeed(region, zone, new FallbackIntensity(primary, fallback), Optional.ofNullable(forecast), shift);
    }

    private static TraceReplay replay(String zone, GridConfig.Region config, String key) {
        Path folder = config.folder().or(() -> TraceFolders.sharedData().map(d -> d.resolve("carbon/electricitymaps")))
                .orElseThrow(() -> new IllegalArgumentException(key + "folder: required, as ../shared/data is absent"));
        ElectricityMapsExport.Basis basis;
        try {
            basis = ElectricityMapsExport.Basis.valueOf(config.basis());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "basis: '" + config.basis() + "' is not LCA or DIRECT", e);
        }
        TraceReplay replay;
        try {
            replay = ElectricityMapsExport.folder(folder, config.year(), basis);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + "folder: cannot read the " + config.year() + " exports in " + folder + ": " + e.getMessage(), e);
        }
        if (replay.size(zone) == 0) {
            throw new IllegalArgumentException(key + "zone: no " + config.year() + " trace for " + zone + " in " + folder);
        }
        return replay;
    }

    private static <T> T required(Optional<T> value, String key) {
        return value.orElseThrow(() -> new IllegalArgumentException(key + ": required for this source"));
    }

    private static double required(OptionalDouble value, String key) {
        return value.orElseThrow(() -> new IllegalArgumentException(key + ": required for this source"));
    }
}
