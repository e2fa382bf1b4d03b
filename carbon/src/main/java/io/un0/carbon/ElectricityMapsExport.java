package io.un0.carbon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * Reads Electricity Maps data-portal exports (hourly CSV, UTC): {@code Datetime (UTC)}, ..., {@code Zone Id},
 * {@code Carbon Intensity gCO₂eq/kWh (direct)}, {@code Carbon Intensity gCO₂eq/kWh (LCA)}, ... Columns are found by
 * name, so an export with its columns in another order reads the same. Data: Electricity Maps, ODbL 1.0 / DbCL 1.0.
 */
public final class ElectricityMapsExport {

    /** Which of the two figures: life-cycle (what the SCI asks for) or direct combustion only. */
    public enum Basis {
        LCA("(LCA)"), DIRECT("(direct)");

        private final String suffix;

        Basis(String suffix) {
            this.suffix = suffix;
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private ElectricityMapsExport() {
    }

    /** Every {@code *_<year>_hourly.csv} in the folder, one region each, replayed hour by hour. */
    public static TraceReplay folder(Path folder, int year, Basis basis) throws IOException {
        TraceReplay replay = new TraceReplay(Duration.ofHours(2), "Electricity Maps " + year + " hourly, " + basis.name() + " (replay)");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*_" + year + "_hourly.csv")) {
            for (Path f : files) {
                read(f, basis, replay);
            }
        }
        return replay;
    }

    /**
     * @throws IOException naming the file, line and column of anything that is not as the export's format says
     */
    public static void read(Path file, Basis basis, TraceReplay into) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty, expected an Electricity Maps export with a header line");
        }
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        int time = column(file, header, "Datetime (UTC)");
        int zone = column(file, header, "Zone Id");
        int value = -1;
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).startsWith("Carbon Intensity") && header.get(i).endsWith(basis.suffix)) {
                value = i;
            }
        }
        if (value < 0) {
            throw new IOException(file + ": no 'Carbon Intensity ... " + basis.suffix + "' column in " + header);
        }
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            try {
                into.add(cells[zone], LocalDateTime.parse(cells[time], TIME).toInstant(ZoneOffset.UTC), Double.parseDouble(cells[value]));
            } catch (RuntimeException e) {
                throw new IOException(file + " line " + (n + 1) + ": cannot read '" + line + "': " + e.getMessage(), e);
            }
        }
    }

    private static int column(Path file, List<String> header, String name) throws IOException {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IOException(file + ": no '" + name + "' column in " + header);
        }
        return i;
    }
}
