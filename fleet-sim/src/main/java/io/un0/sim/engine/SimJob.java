package io.un0.sim.engine;

import io.un0.routing.Urgency;

/**
 * One job of a simulated workload. Times are seconds from the scenario's start.
 *
 * @param homeRegion the only region it may run in, or null for anywhere
 */
public record SimJob(long id, double arrival, int images, int steps, Urgency urgency, double deadline, String homeRegion) {
}
