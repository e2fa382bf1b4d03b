package io.un0.worker;

import io.un0.routing.Sci;

/**
 * The carbon intensity of the electricity a worker draws, as declared in its configuration: results state their
 * gCO2e as energy × this figure, naming it as the source, for assignments that carry no grid signal from the
 * scheduler.
 *
 * @param source where the figure comes from, for people reading the accounting
 */
public record GridIntensity(double gramsPerKwh, String source) {

    public GridIntensity {
        if (!(gramsPerKwh >= 0)) {
            throw new IllegalArgumentException("grid intensity must be 0 or more g/kWh, got " + gramsPerKwh);
        }
    }

    public double grams(double joules) {
        return Sci.operationalGrams(joules, gramsPerKwh);
    }
}
