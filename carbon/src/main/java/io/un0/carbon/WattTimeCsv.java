package io.un0.carbon;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * WattTime marginal operating emissions rate (MOER, gCO2e/kWh) recorded as CSV, UTC: actuals ({@code time,<column>})
 * and forecasts as they were issued ({@code request_time,forecast_time,<column>}), replayed for one region.
 */
public final class WattTimeCsv {

    private WattTimeCsv() {
    }

    /** Actuals ({@code time,<column>}); a figure older than three of the file's steps counts as a gap. */
    public static TraceReplay actuals(Path file, String region) throws IOException {
        return IntensitySeriesCsv.read(file, region, "WattTime MOER (replay of " + file.getFileName() + ")");
    }

    /** Forecasts keyed by when they were issued. */
    public static IntensityForecast forecasts(Path file, String region) throws IOException {
        NavigableMap<Instant, NavigableMap<Instant, Double>> issued = new TreeMap<>();
        try (CsvTable table = CsvTable.open(file)) {
            int requested = table.require("request_time", "request time"::equals);
            int forecast = table.require("forecast_time", "forecast time"::equals);
            int value = table.require("figure", k -> !k.equals("request time") && !k.equals("forecast time"));
            table.forEach(cells -> issued.computeIfAbsent(CsvTable.time(cells[requested]), t -> new TreeMap<>())
                    .put(CsvTable.time(cells[forecast]), CsvTable.number(cells[value], "forecast")));
        }
        String source = "WattTime MOER forecast (replay of " + file.getFileName() + ")";
        return (asked, now, horizon) -> {
            if (!asked.equals(region)) {
                throw new SignalUnavailableException(file.getFileName() + " holds forecasts for " + region + ", not " + asked);
            }
            Map.Entry<Instant, NavigableMap<Instant, Double>> newest = issued.floorEntry(now);
            if (newest == null) {
                throw new SignalUnavailableException("no forecast for " + region + " had been issued by " + now);
            }
            List<IntensitySignal> points = new ArrayList<>();
            newest.getValue().subMap(now, false, now.plus(horizon), true)
                    .forEach((at, g) -> points.add(IntensitySignal.read(region, at, g, source + ", issued " + newest.getKey())));
            return points;
        };
    }
}
