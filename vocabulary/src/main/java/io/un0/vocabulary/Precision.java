package io.un0.vocabulary;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The numeric precision a variant of the generator computes in. Configuration, scenario files and people name it in
 * lower case ({@code fp32}, {@code int8}), which is also its {@link #toString()}, so that reasons and logs read as
 * before.
 */
public enum Precision {
    FP32, INT8;

    /** The name configuration and scenario files use. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return configName();
    }

    /** @throws IllegalArgumentException naming the precisions there are, when {@code name} is none of them */
    public static Precision parse(String name) {
        for (Precision p : values()) {
            if (p.configName().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + name + "': one of "
                + Arrays.stream(values()).map(Precision::configName).collect(Collectors.joining(", ")));
    }
}
