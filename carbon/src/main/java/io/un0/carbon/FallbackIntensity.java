package io.un0.carbon;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A source that never leaves the scheduler without a figure: the primary's answer when it has one; else its last
 * good answer for the region; else the configured default; the last two flagged stale, so decisions and accounting
 * say they ran on an old or a declared figure.
 */
public final class FallbackIntensity implements CarbonIntensitySource {

    private static final System.Logger LOG = System.getLogger(FallbackIntensity.class.getName());

    private final CarbonIntensitySource primary;
    private final CarbonIntensitySource fallback;
    private final Map<String, IntensitySignal> lastGood = new ConcurrentHashMap<>();

    public FallbackIntensity(CarbonIntensitySource primary, CarbonIntensitySource fallback) {
        this.primary = primary;
        this.fallback = fallback;
    }

    @Override
    public IntensitySignal current(String region, Instant now) throws SignalUnavailableException {
        try {
            IntensitySignal s = primary.current(region, now);
            lastGood.put(region, s);
            return s;
        } catch (SignalUnavailableException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "carbon intensity for {0} unavailable ({1}); using an older or a declared figure",
                    region, e.getMessage());
            IntensitySignal last = lastGood.get(region);
            if (last != null) {
                return last.asStale();
            }
            return fallback.current(region, now).asStale();
        }
    }
}
