package io.un0.carbon;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Reads Electricity Maps data-portal exports (CSV, UTC): a time column ({@code Datetime (UTC)}), a zone column
 * ({@code Zone Id}) and carbon-intensity columns per basis ({@code Carbon Intensity gCO₂eq/kWh (LCA)}, older exports;
 * {@code Carbon intensity gCO₂eq/kWh (Life cycle)}, current ones; and the direct figure). Columns are found by
 * meaning, not by exact name or place ({@link CsvTable}). Data: Electricity Maps, ODbL 1.0 / DbCL 1.0.
 */
public final class ElectricityMapsExport {

    /** Which of the two figures: life-cycle (what the SCI asks for) or direct combustion only. */
    public enum Basis {
        LCA("(LCA) or (Life cycle)") {
            @Override
            boolean names(String key) {
                return key.contains("lca") || key.contains("life cycle") || key.contains("lifecycle");
            }
        },
        DIRECT("(direct)") {
            @Override
            boolean names(String key) {
                return key.contains("direct");
            }
        };

        private final String label;

        Basis(String label) {
            this.label = label;
        }

        /** Whether a normalised header names this basis's intensity column. */
        abstract boolean names(String key);

        boolean isIntensityColumn(String key) {
            return key.startsWith("carbon intensity") && names(key);
        }
    }

    /** Hourly figures; one missing hour is tolerated (the hour before stands in), two are a gap. */
    private static final Duration MAX_AGE = Duration.ofHours(2);

    private ElectricityMapsExport() {
    }

    /** Every {@code *_<year>_hourly.csv} in the folder, one region each, replayed hour by hour. */
    public static TraceReplay folder(Path folder, int year, Basis basis) throws IOException {
        TraceReplay replay = new TraceReplay(MAX_AGE, source(List.of(year), basis));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*_" + year + "_hourly.csv")) {
            for (Path f : files) {
                read(f, basis, replay);
            }
        }
        return replay;
    }

    /**
     * One zone over a span that may cross years: {@code <zone>_<year>_hourly.csv} for every year from {@code from}
     * to {@code to}, as the data portal names its yearly exports.
     *
     * @throws IOException naming every yearly file the span needs that the folder lacks, and the zones it has
     */
    public static TraceReplay zone(Path folder, String zone, Instant from, Instant to, Basis basis) throws IOException {
        int first = from.atOffset(ZoneOffset.UTC).getYear();
        int last = to.minusNanos(1).atOffset(ZoneOffset.UTC).getYear();
        List<Integer> years = IntStream.rangeClosed(first, last).boxed().toList();
        List<Path> files = years.stream().map(y -> folder.resolve(zone + "_" + y + "_hourly.csv")).toList();
        List<Path> missing = files.stream().filter(f -> !Files.isRegularFile(f)).toList();
        if (!missing.isEmpty()) {
            throw new IOException("no Electricity Maps export for " + zone + " " + from + " to " + to + ": missing "
                    + missing.stream().map(Path::toString).collect(Collectors.joining(", ")) + "; that folder has " + exports(folder));
        }
        TraceReplay replay = new TraceReplay(MAX_AGE, source(years, basis));
        for (Path f : files) {
            read(f, basis, replay);
        }
        if (replay.size(zone) == 0) {
            throw new IOException(files + " hold no rows for zone " + zone);
        }
        return replay;
    }

    /** One export file, whatever zones and years it holds. */
    public static TraceReplay file(Path file, Basis basis) throws IOException {
        TraceReplay replay = new TraceReplay(MAX_AGE, "Electricity Maps " + file.getFileName() + ", " + basis.name() + " (replay)");
        read(file, basis, replay);
        return replay;
    }

    static boolean isZoneColumn(String key) {
        return key.equals("zone id") || key.equals("zone");
    }

    private static String source(List<Integer> years, Basis basis) {
        return "Electricity Maps " + years.stream().map(String::valueOf).collect(Collectors.joining("+")) + " hourly, " + basis.name() + " (replay)";
    }

    /** The yearly exports a folder holds, by name, for a message that says what there is. */
    private static String exports(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return "nothing (" + folder + " is not a folder)";
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<String> names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("_hourly.csv")).sorted().toList();
            return names.isEmpty() ? "no *_<year>_hourly.csv" : String.join(", ", names);
        }
    }

    /**
     * @throws IOException naming the file and the line or the column of anything that is not as the export's format says
     */
    public static void read(Path file, Basis basis, TraceReplay into) throws IOException {
        try (CsvTable table = CsvTable.open(file)) {
            int time = table.require("time (Datetime (UTC))", CsvTable::isTime);
            int zone = table.require("zone ('Zone Id')", ElectricityMapsExport::isZoneColumn);
            int value = table.require("'Carbon Intensity ... " + basis.label + "'", basis::isIntensityColumn);
            table.forEach(cells -> into.add(cells[zone].strip(), CsvTable.time(cells[time]), CsvTable.number(cells[value], "intensity")));
        }
    }
}
