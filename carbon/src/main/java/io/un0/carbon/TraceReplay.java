package io.un0.carbon;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Recorded intensities replayed in time: at {@code now} a region's figure is the latest one whose interval began at
 * or before {@code now}, never a later one. A figure older than {@code maxAge} counts as a gap in the trace.
 */
public final class TraceReplay implements CarbonIntensitySource {

    private final Map<String, NavigableMap<Instant, Double>> series = new HashMap<>();
    private final Duration maxAge;
    private final String source;

    /** @param source what the trace is, as accounting will name it */
    public TraceReplay(Duration maxAge, String source) {
        this.maxAge = maxAge;
        this.source = source;
    }

    public TraceReplay add(String region, Instant validFrom, double gramsPerKwh) {
        series.computeIfAbsent(region, r -> new TreeMap<>()).put(validFrom, gramsPerKwh);
        return this;
    }

    /** How many figures a region has. */
    public int size(String region) {
        NavigableMap<Instant, Double> s = series.get(region);
        return s == null ? 0 : s.size();
    }

    @Override
    public IntensitySignal current(String region, Instant now) throws SignalUnavailableException {
        NavigableMap<Instant, Double> s = series.get(region);
        if (s == null) {
            throw new SignalUnavailableException("no trace for region " + region + " (have " + series.keySet() + ")");
        }
        Map.Entry<Instant, Double> known = s.floorEntry(now);
        if (known == null) {
            throw new SignalUnavailableException("the trace for " + region + " starts at " + s.firstKey() + ", after " + now);
        }
        if (Duration.between(known.getKey(), now).compareTo(maxAge) > 0) {
            throw new SignalUnavailableException("the trace for " + region + " has nothing between " + known.getKey() + " and " + now);
        }
        return IntensitySignal.read(region, known.getKey(), known.getValue(), source);
    }
}
