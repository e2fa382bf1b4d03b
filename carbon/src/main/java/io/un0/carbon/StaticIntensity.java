package io.un0.carbon;

import java.time.Instant;
import java.util.Map;

/** Figures declared in configuration, one per region: the fallback of last resort, and the local default. */
public final class StaticIntensity implements CarbonIntensitySource {

    private final Map<String, Double> gramsPerKwh;
    private final String source;

    /** @param source what the figures are, as accounting will name them ("declared: EU average 2023") */
    public StaticIntensity(Map<String, Double> gramsPerKwh, String source) {
        this.gramsPerKwh = Map.copyOf(gramsPerKwh);
        this.source = source;
    }

    @Override
    public IntensitySignal current(String region, Instant now) throws SignalUnavailableException {
        Double g = gramsPerKwh.get(region);
        if (g == null) {
            throw new SignalUnavailableException("no declared intensity for region " + region + " (have " + gramsPerKwh.keySet() + ")");
        }
        return IntensitySignal.read(region, Instant.EPOCH, g, source);
    }
}
