package io.un0.carbon;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One region's grid intensity as a time and one figure per row, at whatever step the file has: {@code Time,Carbon
 * Intensity}, WattTime's {@code time,<region>}, and the like. The region is the caller's: the file does not name it.
 */
public final class IntensitySeriesCsv {

    /** A figure stands for this many of the file's own steps before it counts as a gap (a step or two may be missing). */
    private static final int STEPS_BEFORE_A_GAP = 3;

    private IntensitySeriesCsv() {
    }

    /**
     * @param source what the trace is, as accounting will name it
     * @throws IOException naming the file, and the line of a row it cannot read, where the header is not a time and one
     *                     figure, a time is unreadable, or the file holds fewer than two rows
     */
    public static TraceReplay read(Path file, String region, String source) throws IOException {
        List<Instant> times = new ArrayList<>();
        List<Double> figures = new ArrayList<>();
        try (CsvTable table = CsvTable.open(file)) {
            int time = table.require("time", CsvTable::isTime);
            if (table.header().size() != 2) {
                throw new IOException(file + ": expected two columns, a time and one intensity figure, got " + table.header());
            }
            int value = 1 - time;
            table.forEach(cells -> {
                times.add(CsvTable.time(cells[time]));
                figures.add(CsvTable.number(cells[value], table.header().get(value)));
            });
        }
        if (times.size() < 2) {
            throw new IOException(file + ": " + times.size() + " rows; a trace needs two to know its step");
        }
        TraceReplay replay = new TraceReplay(step(times).multipliedBy(STEPS_BEFORE_A_GAP), source);
        for (int i = 0; i < times.size(); i++) {
            replay.add(region, times.get(i), figures.get(i));
        }
        return replay;
    }

    /** The file's own step: the median gap between consecutive times, so that a few missing rows do not change it. */
    private static Duration step(List<Instant> times) {
        long[] gaps = new long[times.size() - 1];
        for (int i = 1; i < times.size(); i++) {
            gaps[i - 1] = Math.abs(Duration.between(times.get(i - 1), times.get(i)).toSeconds());
        }
        java.util.Arrays.sort(gaps);
        return Duration.ofSeconds(Math.max(1, gaps[gaps.length / 2]));
    }
}
