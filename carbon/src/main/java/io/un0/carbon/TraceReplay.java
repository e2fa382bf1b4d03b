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

    /** The regions it holds, sorted. */
    public java.util.SortedSet<String> regions() {
        return new java.util.TreeSet<>(series.keySet());
    }

    /** What the trace is, as accounting names it. */
    public String source() {
        return source;
    }

    /** How many figures a region has. */
    public int size(String region) {
        NavigableMap<Instant, Double> s = series.get(region);
        return s == null ? 0 : s.size();
    }

    @Override
    public IntensitySignal current(String region, Instant now) throws SignalUnavailableException {
        Map.Entry<Instant, Double> known = inForce(region, now);
        if (Duration.between(known.getKey(), now).compareTo(maxAge) > 0) {
            throw new SignalUnavailableException("the trace for " + region + " has nothing between " + known.getKey() + " and " + now);
        }
        return IntensitySignal.read(region, known.getKey(), known.getValue(), source);
    }

    /**
     * The time-weighted mean of the figures in force over {@code [from, to)}: an hour's figure from a trace recorded in
     * finer steps, and the figure itself from an hourly one.
     *
     * @throws SignalUnavailableException where the trace lacks the region or has a gap anywhere in the span
     */
    public double mean(String region, Instant from, Instant to) throws SignalUnavailableException {
        Map.Entry<Instant, Double> inForce = inForce(region, from);
        double weighted = 0;
        Instant cursor = from;
        for (Map.Entry<Instant, Double> next : series.get(region).subMap(from, false, to, false).entrySet()) {
            weighted += inForce.getValue() * seconds(cursor, next.getKey(), inForce.getKey(), region);
            cursor = next.getKey();
            inForce = next;
        }
        weighted += inForce.getValue() * seconds(cursor, to, inForce.getKey(), region);
        return weighted / Duration.between(from, to).toNanos() * 1e9;
    }

    /** The latest figure recorded at or before {@code at}, however old. */
    private Map.Entry<Instant, Double> inForce(String region, Instant at) throws SignalUnavailableException {
        NavigableMap<Instant, Double> s = series.get(region);
        if (s == null) {
            throw new SignalUnavailableException("no trace for region " + region + " (have " + series.keySet() + ")");
        }
        Map.Entry<Instant, Double> known = s.floorEntry(at);
        if (known == null) {
            throw new SignalUnavailableException("the trace for " + region + " starts at " + s.firstKey() + ", after " + at);
        }
        return known;
    }

    /** Seconds from {@code from} to {@code to}, where a figure recorded at {@code recorded} still holds until then. */
    private double seconds(Instant from, Instant to, Instant recorded, String region) throws SignalUnavailableException {
        if (Duration.between(recorded, to).compareTo(maxAge) > 0) {
            throw new SignalUnavailableException("the trace for " + region + " has nothing between " + recorded + " and " + to);
        }
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
