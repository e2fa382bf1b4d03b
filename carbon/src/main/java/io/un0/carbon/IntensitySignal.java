package io.un0.carbon;

import java.time.Instant;

/**
 * The carbon intensity of a region's grid, as one source gave it.
 *
 * @param validFrom    the start of the interval the figure describes (an hourly figure covers the hour from here)
 * @param gramsPerKwh  gCO2e per kWh drawn
 * @param source       where the figure came from, for accounting and audit records
 * @param stale        true when the source could not be read and this is an older or a default figure
 */
public record IntensitySignal(String region, Instant validFrom, double gramsPerKwh, String source, boolean stale) {

    public IntensitySignal {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("a signal needs a region");
        }
        if (!(gramsPerKwh >= 0) || Double.isInfinite(gramsPerKwh)) {
            throw new IllegalArgumentException("intensity for " + region + " must be a finite figure ≥ 0 g/kWh, got " + gramsPerKwh);
        }
    }

    IntensitySignal asStale() {
        return new IntensitySignal(region, validFrom, gramsPerKwh, source, true);
    }
}
