package io.un0.vocabulary;

/**
 * How much CO2e the electricity from a grid carries, as one figure with where it comes from: the value every
 * signal, trace, forecast reading and declared default in the mesh carries.
 *
 * @param source the provider and basis (a declared figure, a replayed trace, an API), for people reading the accounting
 * @param stale  true when the source could not be read and this is its last good figure or a declared default
 */
public record GridIntensity(double gramsPerKwh, String source, boolean stale) {

    public GridIntensity {
        if (!(gramsPerKwh >= 0) || Double.isInfinite(gramsPerKwh)) {
            throw new IllegalArgumentException("grid intensity must be finite and 0 or more g/kWh, got " + gramsPerKwh);
        }
    }

    /** A figure read just now, or declared in configuration. */
    public static GridIntensity of(double gramsPerKwh, String source) {
        return new GridIntensity(gramsPerKwh, source, false);
    }

    /** The same figure, marked as no longer current. */
    public GridIntensity asStale() {
        return new GridIntensity(gramsPerKwh, source, true);
    }

    /** The gCO2e of {@code joules} drawn from this grid. */
    public double grams(double joules) {
        return Sci.operationalGrams(joules, gramsPerKwh);
    }
}
