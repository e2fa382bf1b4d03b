package io.un0.carbon;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A grid-intensity trace file that someone names for a region, in either layout we read, told apart by its header:
 * an Electricity Maps export (it has a zone column) or a time and one figure per row.
 */
public final class GridTraceFile {

    private GridTraceFile() {
    }

    /**
     * @param basis which figure of an Electricity Maps export; a time-and-figure file has only the one it has
     * @throws IOException naming the file and what is wrong: unreadable, no rows for {@code region}, a broken row
     */
    public static TraceReplay read(Path file, String region, ElectricityMapsExport.Basis basis) throws IOException {
        boolean export;
        try (CsvTable table = CsvTable.open(file)) {
            export = table.find(ElectricityMapsExport::isZoneColumn) >= 0;
        }
        if (!export) {
            return IntensitySeriesCsv.read(file, region, file.getFileName() + " (replay)");
        }
        TraceReplay replay = ElectricityMapsExport.file(file, basis);
        if (replay.size(region) == 0) {
            throw new IOException(file + ": no rows for zone " + region + "; it holds " + replay.regions());
        }
        return replay;
    }
}
