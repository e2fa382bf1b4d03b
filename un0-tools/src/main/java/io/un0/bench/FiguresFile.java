package io.un0.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A flat JSON file of figures under {@code docs/bench/}, merged key by key so that eval and bench can each write
 * their part and a script can compare runs.
 */
public final class FiguresFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private FiguresFile() {
    }

    /** Three significant digits, for modelled figures: more would claim a precision they do not have. */
    public static double significant(double v) {
        return Double.isFinite(v) && v != 0 ? new BigDecimal(v).round(new MathContext(3)).doubleValue() : v;
    }

    public static Map<String, Object> read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
    }

    public static Map<String, Object> merge(Path file, Map<String, Object> figures) throws IOException {
        return merge(file, figures, key -> false);
    }

    /** Merges after dropping the file's keys that {@code writer} owns, so that figures a run no longer measures go. */
    public static Map<String, Object> merge(Path file, Map<String, Object> figures, Predicate<String> writer) throws IOException {
        Map<String, Object> all = new TreeMap<>();
        if (Files.exists(file)) {
            all.putAll(read(file));
        }
        all.keySet().removeIf(writer);
        all.putAll(figures);
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), all);
        return all;
    }
}
