package io.un0.carbon;

import io.un0.vocabulary.GridIntensity;
import java.time.Instant;

/**
 * The carbon intensity of a region's grid, as one source gave it for one interval.
 *
 * @param validFrom the start of the interval the figure describes (an hourly figure covers the hour from here)
 * @param intensity the figure, its source (for accounting and audit records) and whether it is stale
 */
public record IntensitySignal(String region, Instant validFrom, GridIntensity intensity) {

    public IntensitySignal {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("a signal needs a region");
        }
    }

    /** A figure a source read for {@code region}, current as read. */
    public static IntensitySignal read(String region, Instant validFrom, double gramsPerKwh, String source) {
        return new IntensitySignal(region, validFrom, GridIntensity.of(gramsPerKwh, source));
    }

    public double gramsPerKwh() {
        return intensity.gramsPerKwh();
    }

    public String source() {
        return intensity.source();
    }

    public boolean stale() {
        return intensity.stale();
    }

    IntensitySignal asStale() {
        return new IntensitySignal(region, validFrom, intensity.asStale());
    }
}
