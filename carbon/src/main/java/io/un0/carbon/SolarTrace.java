package io.un0.carbon;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Solar output at one location as a fraction 0..1 of installed capacity, from a CSV whose columns are found by their
 * header: {@code datetime} (UTC, {@code yyyy-MM-dd HH:mm:ss}) and one column per location, as in the Solcast export
 * under {@code ../shared/data/solar}. A row is the output over the period that ends at its time (Solcast's
 * {@code period_end}): from the previous row's time, and for the first row a period as long as the second's.
 * Plain unquoted CSV; anything else is refused naming the file and line. Immutable.
 */
public final class SolarTrace {

    private static final String TIME_COLUMN = "datetime";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final String location;
    private final Instant start;
    /** Epoch seconds at which each row's period ends, increasing. */
    private final long[] ends;
    private final double[] fractions;

    private SolarTrace(String location, Instant start, long[] ends, double[] fractions) {
        this.location = location;
        this.start = start;
        this.ends = ends;
        this.fractions = fractions;
    }

    /**
     * @throws IllegalArgumentException naming the file and line: no such location, a time out of order or
     *                                  unreadable, a fraction outside 0..1, fewer than two rows
     */
    public static SolarTrace read(Path csv, String location) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            List<String> header = header(csv, in);
            int time = header.indexOf(TIME_COLUMN);
            int column = header.indexOf(location);
            if (time < 0) {
                throw new IllegalArgumentException(csv + " has no '" + TIME_COLUMN + "' column; its header is " + header);
            }
            if (column < 0 || column == time) {
                throw new IllegalArgumentException(csv + " has no column '" + location + "'; its locations are "
                        + header.stream().filter(c -> !c.equals(TIME_COLUMN)).toList());
            }
            List<Long> ends = new ArrayList<>();
            List<Double> fractions = new ArrayList<>();
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                String at = csv + ":" + lineNo + ": ";
                if (fields.length != header.size()) {
                    throw new IllegalArgumentException(at + fields.length + " fields where the header has " + header.size());
                }
                long end = time(fields[time], at);
                if (!ends.isEmpty() && end <= ends.get(ends.size() - 1)) {
                    throw new IllegalArgumentException(at + fields[time] + " is not after the row before it");
                }
                ends.add(end);
                fractions.add(fraction(fields[column], location, at));
            }
            if (ends.size() < 2) {
                throw new IllegalArgumentException(csv + " has " + ends.size() + " rows; a trace needs two to know its period");
            }
            Instant start = Instant.ofEpochSecond(2 * ends.get(0) - ends.get(1));
            return new SolarTrace(location, start, ends.stream().mapToLong(Long::longValue).toArray(),
                    fractions.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    private static List<String> header(Path csv, BufferedReader in) throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IllegalArgumentException(csv + " is empty; a solar trace starts with a header naming its columns");
        }
        // A byte-order mark would otherwise become part of the first column's name.
        return Arrays.stream(line.replace("\uFEFF", "").split(",", -1)).map(String::strip).toList();
    }

    private static long time(String field, String at) {
        try {
            return LocalDateTime.parse(field.strip(), TIME).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(at + "'" + field + "' is not a time as yyyy-MM-dd HH:mm:ss (UTC)");
        }
    }

    private static double fraction(String field, String location, String at) {
        double f;
        try {
            f = Double.parseDouble(field.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(at + "'" + field + "' under " + location + " is not a number");
        }
        if (!(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException(at + f + " under " + location + " is not a fraction of capacity in 0..1");
        }
        return f;
    }

    public String location() {
        return location;
    }

    /** Where the first period begins. */
    public Instant start() {
        return start;
    }

    /** Where the last period ends: the trace covers [start, end). */
    public Instant end() {
        return Instant.ofEpochSecond(ends[ends.length - 1]);
    }

    /**
     * The output over the period holding {@code at}.
     *
     * @throws IllegalArgumentException when {@code at} is outside [start, end)
     */
    public double fraction(Instant at) {
        if (at.isBefore(start) || !at.isBefore(end())) {
            throw new IllegalArgumentException("the solar trace of " + location + " covers " + start + " to " + end() + ", not " + at);
        }
        // The first period ending after it; a fractional second changes nothing, the ends being whole seconds.
        int i = Arrays.binarySearch(ends, at.getEpochSecond());
        return fractions[i >= 0 ? i + 1 : -i - 1];
    }

    /**
     * The instant of the trace that a replay reaches at {@code at}, counted round from the start once it runs past
     * the end, so that a replay longer than the trace begins the trace again.
     *
     * @throws IllegalArgumentException when {@code at} is before the start
     */
    public Instant wrap(Instant at) {
        if (at.isBefore(start)) {
            throw new IllegalArgumentException("the solar trace of " + location + " starts at " + start + ", after " + at);
        }
        Duration span = Duration.between(start, end());
        Duration into = Duration.between(start, at);
        return start.plusNanos(into.toNanos() % span.toNanos());
    }

    /**
     * The instant of the trace at the same UTC time of day as {@code at}, on a day of the trace counted round by whole
     * days: how a replay runs a recorded month of sunshine over dates the trace does not cover (the sun's daily course
     * is kept; its season is the trace's, which whoever reads the figures should be told).
     *
     * @throws IllegalArgumentException where the trace does not cover a whole day
     */
    public Instant sameTimeOfDay(Instant at) {
        if (!at.isBefore(start) && at.isBefore(end())) {
            return at;
        }
        long days = Duration.between(start, end()).toDays();
        if (days < 1) {
            throw new IllegalArgumentException("the solar trace of " + location + " covers less than a day (" + start + " to " + end()
                    + "): it cannot stand in for " + at);
        }
        long dayOffset = Math.floorDiv(Duration.between(start, at).getSeconds(), 86_400L);
        return at.minus(Duration.ofDays(dayOffset - Math.floorMod(dayOffset, days)));
    }
}
