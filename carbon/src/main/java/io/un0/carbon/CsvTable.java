package io.un0.carbon;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A trace file in CSV (RFC 4180: quoted fields, commas inside quotes), read row by row with Jackson's CSV parser.
 * Columns are found by meaning on a normalised header (case, surrounding space, underscores, a byte-order mark and
 * the subscript of "gCO₂" do not matter), because every export spells them a little differently.
 */
final class CsvTable implements AutoCloseable {

    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES).enable(CsvParser.Feature.TRIM_SPACES);

    private final Path file;
    private final Reader reader;
    private final MappingIterator<String[]> rows;
    private final List<String> header;
    private final List<String> keys;
    private int line = 1;

    private CsvTable(Path file, Reader reader, MappingIterator<String[]> rows, List<String> header) {
        this.file = file;
        this.reader = reader;
        this.rows = rows;
        this.header = header;
        this.keys = header.stream().map(CsvTable::key).toList();
    }

    /** @throws IOException naming the file where it is empty or not CSV */
    static CsvTable open(Path file) throws IOException {
        BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        try {
            // A byte-order mark before a quoted first name would stop the parser seeing the quote: skip it first.
            reader.mark(1);
            if (reader.read() != '\uFEFF') {
                reader.reset();
            }
            MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(reader);
            if (!rows.hasNext()) {
                throw new IOException(file + ": empty; a trace starts with a header line naming its columns");
            }
            String[] header = rows.next();
            return new CsvTable(file, reader, rows, Arrays.stream(header).map(String::strip).toList());
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e instanceof IOException io && io.getMessage() != null && io.getMessage().startsWith(file.toString()) ? io
                    : new IOException(file + ": not readable as CSV: " + e.getMessage(), e);
        }
    }

    /** A header name as columns are matched: lower case, single spaces, no underscores, "co2" for "co₂". */
    static String key(String name) {
        return name.replace("\uFEFF", "").replace('₂', '2').replace('_', ' ').strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    List<String> header() {
        return header;
    }

    /** The first column whose normalised name means {@code what}; -1 where none does. */
    int find(Predicate<String> meaning) {
        for (int i = 0; i < keys.size(); i++) {
            if (meaning.test(keys.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** @throws IOException naming the file, what was looked for and the header there is */
    int require(String what, Predicate<String> meaning) throws IOException {
        int i = find(meaning);
        if (i < 0) {
            throw new IOException(file + ": no " + what + " column in its header " + header);
        }
        return i;
    }

    /** The column of a row's time, by the names exports give it: Datetime (UTC), datetime, time, timestamp, date. */
    static boolean isTime(String key) {
        return key.matches("(date ?time|time ?stamp|time|date)( \\(utc\\))?");
    }

    /** What one row becomes; a runtime exception is reported with the file and line. */
    interface Row {
        void accept(String[] cells) throws IOException;
    }

    /** @throws IOException naming the file and line of a row that {@code row} cannot read */
    void forEach(Row row) throws IOException {
        while (true) {
            String[] cells;
            try {
                if (!rows.hasNextValue()) {
                    return;
                }
                // The parser stands at the start of the row it is about to read.
                line = rows.getCurrentLocation().getLineNr();
                cells = rows.nextValue();
            } catch (IOException | RuntimeException e) {
                throw new IOException(file + " line " + line + ": not readable as CSV: " + e.getMessage(), e);
            }
            if (cells.length == 1 && cells[0].isBlank()) {
                continue;
            }
            try {
                row.accept(cells);
            } catch (RuntimeException e) {
                throw new IOException(file + " line " + line + ": cannot read " + Arrays.toString(cells) + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * A time as exports write it: {@code 2022-01-01 00:00:00}, ISO 8601 with or without {@code T}, seconds or an
     * offset ({@code Z}, {@code +01:00}). A time without an offset is UTC, as every export we read says it is.
     */
    static Instant time(String cell) {
        String iso = cell.strip().replace(' ', 'T');
        TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
        return t instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) t).toInstant(ZoneOffset.UTC);
    }

    /** A figure, refusing what is not a finite number. */
    static double number(String cell, String what) {
        double v = Double.parseDouble(cell.strip());
        if (!Double.isFinite(v)) {
            throw new NumberFormatException(what + " '" + cell + "' is not a finite number");
        }
        return v;
    }

    @Override
    public void close() throws IOException {
        rows.close();
        reader.close();
    }
}
