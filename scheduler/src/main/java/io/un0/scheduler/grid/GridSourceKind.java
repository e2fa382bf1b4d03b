package io.un0.scheduler.grid;

import io.un0.carbon.CarbonAwareSdkApi;
import io.un0.carbon.CarbonIntensitySource;
import io.un0.carbon.ElectricityMapsApi;
import io.un0.carbon.ElectricityMapsExport;
import io.un0.carbon.IntensityForecast;
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
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The kinds of grid carbon source a region can be read from, each named as {@code un0.scheduler.grid.regions.<R>.source}
 * names it and opening its source from that region's settings. A new kind of source is one more constant.
 */
enum GridSourceKind {

    STATIC("static") {
        @Override
        Opened open(Context c) {
            return Opened.now(new StaticIntensity(Map.of(c.zone(), required(c.config().gramsPerKwh(), c.key() + "grams-per-kwh")),
                    c.config().declaredAs().orElse("static: declared in " + c.key() + "grams-per-kwh")));
        }
    },
    REPLAY("replay") {
        @Override
        Opened open(Context c) {
            TraceReplay replay = replay(c.zone(), c.config(), c.key());
            // By default the trace's same instant of the year: a June afternoon replays a June afternoon.
            Instant traceStart = c.config().replayStart().orElseGet(() -> c.start().atZone(ZoneOffset.UTC).withYear(c.config().year()).toInstant());
            return new Opened(replay, Optional.empty(), Duration.between(c.start(), traceStart));
        }
    },
    ELECTRICITY_MAPS("electricitymaps") {
        @Override
        Opened open(Context c) {
            return Opened.now(new ElectricityMapsApi(c.config().url().orElse(URI.create("https://api.electricitymap.org")),
                    required(c.config().token(), c.key() + "token"), c.http(), c.timeout()));
        }
    },
    WATT_TIME("watttime") {
        @Override
        Opened open(Context c) {
            WattTimeApi api = new WattTimeApi(new WattTimeApi.Config(c.config().url().orElse(WattTimeApi.Config.PRODUCTION),
                    required(c.config().username(), c.key() + "username"), required(c.config().password(), c.key() + "password"), c.zone()),
                    c.http(), c.timeout());
            return new Opened(api, Optional.of(api), Duration.ZERO);
        }
    },
    UK("uk") {
        @Override
        Opened open(Context c) {
            if (!c.zone().equals(UkCarbonIntensityApi.REGION)) {
                throw new IllegalArgumentException(c.key() + "zone: the UK Carbon Intensity API covers " + UkCarbonIntensityApi.REGION
                        + " only, not " + c.zone());
            }
            return Opened.now(new UkCarbonIntensityApi(c.config().url().orElse(URI.create("https://api.carbonintensity.org.uk")), c.http(), c.timeout()));
        }
    },
    CARBON_AWARE_SDK("carbon-aware-sdk") {
        @Override
        Opened open(Context c) {
            return Opened.now(new CarbonAwareSdkApi(required(c.config().url(), c.key() + "url"), c.http(), c.timeout()));
        }
    };

    /** What a region's source is opened from; {@code key} is the region's configuration prefix, for messages. */
    record Context(String zone, GridConfig.Region config, String key, Instant start, HttpClient http, Duration timeout) {
    }

    /**
     * An opened source: the figure in force, the forecast where the source gives one, and how far a replay's trace
     * time is from the wall clock.
     */
    record Opened(CarbonIntensitySource current, Optional<IntensityForecast> forecast, Duration shift) {

        static Opened now(CarbonIntensitySource current) {
            return new Opened(current, Optional.empty(), Duration.ZERO);
        }
    }

    private final String configName;

    GridSourceKind(String configName) {
        this.configName = configName;
    }

    /**
     * @throws IllegalArgumentException naming the source's key, for a missing or wrong setting or an unreadable trace
     */
    abstract Opened open(Context context);

    /** @throws IllegalArgumentException naming {@code key} and listing the known kinds, when {@code name} is none of them */
    static GridSourceKind named(String name, String key) {
        return Arrays.stream(values()).filter(k -> k.configName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(key + ": '" + name + "' is not one of "
                        + Arrays.stream(values()).map(k -> k.configName).collect(Collectors.joining(", "))));
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
