package io.un0.vocabulary;

/**
 * The Green Software Foundation's Software Carbon Intensity, per functional unit R = one network evaluation:
 * SCI = (E × I + M) / R, with E the energy an evaluation draws, I the grid's intensity, and M the embodied
 * emissions of the hardware for the time the evaluation holds it (its share of the hardware's service life).
 */
public final class Sci {

    private static final double JOULES_PER_KWH = 3.6e6;

    private Sci() {
    }

    /** E × I in gCO2e, for {@code joules} drawn from a grid of {@code gramsPerKwh}: the one joules → gCO2e conversion. */
    public static double operationalGrams(double joules, double gramsPerKwh) {
        return joules * gramsPerKwh / JOULES_PER_KWH;
    }

    /** {@code joules} in kWh, the unit grid intensities are given per. */
    public static double kilowattHours(double joules) {
        return joules / JOULES_PER_KWH;
    }
}
