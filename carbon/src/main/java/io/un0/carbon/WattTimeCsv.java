package io.un0.carbon;

import java.io.IOException;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private WattTimeCsv() {
    }

    /** Actuals in 5-minute steps; a figure older than 15 minutes counts as a gap. */
    public static TraceReplay actuals(Path file, String region) throws IOException {
        TraceReplay replay = new TraceReplay(Duration.ofMinutes(15), "WattTime MOER (replay of " + file.getFileName() + ")");
        read(file, 2, cells -> replay.add(region, time(cells[0]), Double.parseDouble(cells[1])));
        return replay;
    }

    /** Forecasts keyed by when they were issued. */
    public static IntensityForecast forecasts(Path file, String region) throws IOException {
        NavigableMap<Instant, NavigableMap<Instant, Double>> issued = new TreeMap<>();
        read(file, 3, cells -> issued.computeIfAbsent(time(cells[0]), t -> new TreeMap<>()).put(time(cells[1]), Double.parseDouble(cells[2])));
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

    private interface Row {
        void accept(String[] cells);
    }

    private static void read(Path file, int columns, Row row) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || header.split(",", -1).length != columns) {
                throw new IOException(file + ": expected a header of " + columns + " columns, got '" + header + "'");
            }
            String line;
            int n = 1;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    row.accept(line.split(",", -1));
                } catch (RuntimeException e) {
                    throw new IOException(file + " line " + n + ": cannot read '" + line + "': " + e.getMessage(), e);
                }
            }
        }
    }

    private static Instant time(String cell) {
        return LocalDateTime.parse(cell, TIME).toInstant(ZoneOffset.UTC);
    }
}
