package io.un0.sim.scenario;

import io.un0.carbon.ElectricityMapsExport;
import io.un0.carbon.SignalUnavailableException;
import io.un0.carbon.SolarTrace;
import io.un0.carbon.TraceReplay;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recorded traces a scenario runs on, read once from a trace folder into arrays indexed from a day before the
 * scenario's start (so a forecast made at the start can look at yesterday), hour by hour for the grid and
 * step by step for solar output.
 */
public final class Traces {

    /** Hours kept before the start, for forecasts that look back a day. */
    public static final int LOOKBACK_HOURS = 24;
    public static final Duration SOLAR_STEP = Duration.ofMinutes(5);
    private static final String SOLAR_TRACE = "solar/solcast2022_global_actual.csv";

    private final Map<String, double[]> hourly;
    private final Map<String, double[]> solar;
    private final String description;

    private Traces(Map<String, double[]> hourly, Map<String, double[]> solar, String description) {
        this.hourly = hourly;
        this.solar = solar;
        this.description = description;
    }

    /** @throws IOException where a trace is missing or has a gap over the scenario's span */
    public static Traces load(Scenario scenario, Path folder) throws IOException {
        Instant origin = scenario.start().minus(Duration.ofHours(LOOKBACK_HOURS));
        // Deferrable jobs arriving at the end may run up to their deadline.
        Instant last = scenario.end().plus(Duration.ofHours(scenario.workload().deferralHours() + 1L));
        int hours = (int) Duration.between(origin, last).toHours();
        Path carbon = folder.resolve(scenario.intensity().folder());
        ElectricityMapsExport.Basis basis = ElectricityMapsExport.Basis.valueOf(scenario.intensity().basis());
        TraceReplay replay = ElectricityMapsExport.folder(carbon, scenario.intensity().year(), basis);
        Map<String, double[]> hourly = new HashMap<>();
        for (String region : scenario.regions()) {
            double[] series = new double[hours];
            for (int h = 0; h < hours; h++) {
                Instant at = origin.plus(Duration.ofHours(h));
                try {
                    series[h] = replay.current(region, at).gramsPerKwh();
                } catch (SignalUnavailableException e) {
                    throw new IOException(carbon + ": " + e.getMessage(), e);
                }
            }
            hourly.put(region, series);
        }
        Map<String, double[]> solar = new HashMap<>();
        List<Scenario.Solar> solarSites = scenario.sites().stream().map(Scenario.Site::solar).filter(s -> s != null).toList();
        if (!solarSites.isEmpty()) {
            Path csv = folder.resolve(SOLAR_TRACE);
            int steps = (int) (Duration.between(scenario.start(), scenario.end()).toSeconds() / SOLAR_STEP.toSeconds());
            for (Scenario.Solar s : solarSites) {
                SolarTrace trace = SolarTrace.read(csv, s.location());
                double[] series = new double[steps];
                for (int i = 0; i < steps; i++) {
                    series[i] = trace.fraction(scenario.start().plus(SOLAR_STEP.multipliedBy(i)));
                }
                solar.put(s.location(), series);
            }
        }
        String description = "grid: Electricity Maps " + scenario.intensity().year() + " hourly " + basis + " (" + carbon + ")"
                + (solar.isEmpty() ? "" : "; solar: Solcast 2022 5-minute actuals (" + folder.resolve("solar") + ")");
        return new Traces(hourly, solar, description);
    }

    /** gCO2e/kWh of a region's grid in the hour holding {@code secondsFromStart} (negative: before the start). */
    public double intensity(String region, double secondsFromStart) {
        double[] series = hourly.get(region);
        int h = (int) Math.floor(secondsFromStart / 3600.0) + LOOKBACK_HOURS;
        return series[Math.max(0, Math.min(series.length - 1, h))];
    }

    /** Solar output fraction of a location over the scenario's 5-minute step holding {@code secondsFromStart}. */
    public double solar(String location, double secondsFromStart) {
        double[] series = solar.get(location);
        int i = (int) Math.floor(secondsFromStart / SOLAR_STEP.toSeconds());
        return series[Math.max(0, Math.min(series.length - 1, i))];
    }

    public String describe() {
        return description;
    }
}
