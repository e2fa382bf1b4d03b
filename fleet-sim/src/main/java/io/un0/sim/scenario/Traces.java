package io.un0.sim.scenario;

import io.un0.carbon.ElectricityMapsExport;
import io.un0.carbon.GridTraceFile;
import io.un0.carbon.SignalUnavailableException;
import io.un0.carbon.SolarTrace;
import io.un0.carbon.TraceReplay;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The recorded traces a scenario runs on, read once from a trace folder into arrays indexed from a day before the
 * scenario's start (so a forecast made at the start can look at yesterday) to the last deferrable deadline: hour by
 * hour for the grid (a finer trace averaged over each hour), step by step for solar output.
 */
public final class Traces {

    /** Hours kept before the start, for forecasts that look back a day. */
    public static final int LOOKBACK_HOURS = 24;
    public static final Duration SOLAR_STEP = Duration.ofMinutes(5);
    /** The solar trace a site reads where its scenario names none. */
    public static final String DEFAULT_SOLAR = "solar/solcast2022_global_actual.csv";

    private final Map<String, double[]> hourly;
    private final Map<String, double[]> solar;
    private final String description;

    private Traces(Map<String, double[]> hourly, Map<String, double[]> solar, String description) {
        this.hourly = hourly;
        this.solar = solar;
        this.description = description;
    }

    /** @throws IOException naming the region or site, the file, and the span the scenario needs of it */
    public static Traces load(Scenario scenario, Path folder) throws IOException {
        Instant origin = scenario.start().minus(Duration.ofHours(LOOKBACK_HOURS));
        // Deferrable jobs arriving at the end may run up to their deadline: traces, budgets included, run that far.
        Instant last = scenario.end().plus(Duration.ofHours(scenario.workload().deferralHours() + 1L));
        String span = origin + " to " + last + " (a day's look-back for forecasts, to the last deferrable deadline)";
        int hours = (int) Duration.between(origin, last).toHours();
        ElectricityMapsExport.Basis basis = ElectricityMapsExport.Basis.valueOf(scenario.intensity().basis());
        Map<String, double[]> hourly = new HashMap<>();
        Set<String> gridSources = new LinkedHashSet<>();
        for (String region : scenario.regions()) {
            String named = scenario.intensity().files().get(region);
            TraceReplay replay;
            try {
                replay = named != null ? GridTraceFile.read(folder.resolve(named), region, basis)
                        : ElectricityMapsExport.zone(folder.resolve(scenario.intensity().folder()), region, origin, last, basis);
            } catch (IOException e) {
                throw new IOException("region " + region + ": " + e.getMessage()
                        + (named == null ? "; or name a trace file for it under intensity.files" : ""), e);
            }
            double[] series = new double[hours];
            for (int h = 0; h < hours; h++) {
                Instant from = origin.plus(Duration.ofHours(h));
                try {
                    series[h] = replay.mean(region, from, from.plus(Duration.ofHours(1)));
                } catch (SignalUnavailableException e) {
                    throw new IOException("region " + region + ": " + e.getMessage() + "; the scenario needs " + span, e);
                }
            }
            hourly.put(region, series);
            gridSources.add(replay.source() + (named == null ? " from " + folder.resolve(scenario.intensity().folder()) : " from " + named));
        }
        Map<String, double[]> solar = new HashMap<>();
        Set<String> solarSources = new LinkedHashSet<>();
        int steps = (int) (Duration.between(scenario.start(), last).toSeconds() / SOLAR_STEP.toSeconds()) + 1;
        for (Scenario.Site site : scenario.sites()) {
            Scenario.Solar s = site.solar();
            if (s == null) {
                continue;
            }
            Path csv = folder.resolve(s.file() == null ? DEFAULT_SOLAR : s.file());
            SolarTrace trace;
            try {
                trace = SolarTrace.read(csv, s.location());
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException("site " + site.name() + ": " + e.getMessage(), e);
            }
            double[] series = new double[steps];
            boolean outside = false;
            for (int i = 0; i < steps; i++) {
                Instant at = scenario.start().plus(SOLAR_STEP.multipliedBy(i));
                Instant replayed = trace.sameTimeOfDay(at);
                outside |= !replayed.equals(at);
                series[i] = trace.fraction(replayed);
            }
            solar.put(site.name(), series);
            solarSources.add(csv + " (" + trace.start() + " to " + trace.end()
                    + (outside ? "; outside that span each day replays a day of the trace at the same UTC time, so its season is the trace's)" : ")"));
        }
        String description = "grid: " + String.join("; ", gridSources) + (solar.isEmpty() ? "" : "; solar: " + String.join("; ", solarSources));
        return new Traces(hourly, solar, description);
    }

    /** gCO2e/kWh of a region's grid in the hour holding {@code secondsFromStart} (negative: before the start). */
    public double intensity(String region, double secondsFromStart) {
        double[] series = hourly.get(region);
        int h = (int) Math.floor(secondsFromStart / 3600.0) + LOOKBACK_HOURS;
        return series[Math.max(0, Math.min(series.length - 1, h))];
    }

    /** Solar output fraction at a site over the 5-minute step holding {@code secondsFromStart}. */
    public double solar(String site, double secondsFromStart) {
        double[] series = solar.get(site);
        int i = (int) Math.floor(secondsFromStart / SOLAR_STEP.toSeconds());
        return series[Math.max(0, Math.min(series.length - 1, i))];
    }

    public String describe() {
        return description;
    }
}
