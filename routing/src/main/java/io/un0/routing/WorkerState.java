package io.un0.routing;

import io.un0.vocabulary.DeviceClass;
import io.un0.vocabulary.Precision;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What one worker's latest heartbeat said, with what the scheduler knows of its kind of hardware.
 *
 * @param rates                  per precision it serves: measured where the worker has measured
 *                               itself, else declared for its device class
 * @param idleWatts              drawn with nothing to run
 * @param powerWatts             drawn since its previous heartbeat, as its meter said
 * @param embodiedGramsPerSecond the hardware's embodied emissions spread over its service life (SCI's M)
 * @param capacity               images the worker can hold in flight
 * @param queueDepth             images it holds now
 * @param queuedEvals            evaluations those images still need
 * @param urgentEvals            of those, what an interactive job sent now would wait behind
 */
public record WorkerState(String worker, String pool, String site, String region, DeviceClass deviceClass,
                          Map<Precision, Rate> rates, double idleWatts, double powerWatts, double embodiedGramsPerSecond,
                          int capacity, int queueDepth, double queuedEvals, double urgentEvals, Instant seen) {

    public WorkerState {
        rates = Map.copyOf(rates);
    }

    public Set<Precision> precisions() {
        return rates.keySet();
    }
}
