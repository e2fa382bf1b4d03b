package io.un0.scheduler.budget;

import io.un0.carbon.SolarTrace;

/** One site on solar: its panels, its floor, and the trace its sun follows. */
public record SolarSite(String site, SolarTrace trace, double panelWatts, double batteryWatts) {

    /** The floor plus what the panels give at this fraction of their capacity. */
    public double watts(double fraction) {
        return batteryWatts + panelWatts * fraction;
    }
}
