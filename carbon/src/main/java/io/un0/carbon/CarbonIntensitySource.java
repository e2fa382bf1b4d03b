package io.un0.carbon;

import java.time.Instant;

/**
 * Where the grid's carbon intensity comes from. A source answers only with what was known at {@code now}: a replay
 * never looks past it, so a decision replayed on a trace sees what it would have seen live.
 */
public interface CarbonIntensitySource {

    /**
     * @throws SignalUnavailableException saying why, when the source has no figure for the region at that time
     */
    IntensitySignal current(String region, Instant now) throws SignalUnavailableException;
}
