package io.un0.routing;

import java.util.Optional;

/**
 * Where a job should run: a pure function over read-only views. Empty when no live pool can take the job now
 * (the caller then holds or sheds it). Implementations keep no state between calls, so the scheduler, the fleet
 * simulator and benchmarks can call them alike.
 */
public interface RoutingPolicy {

    Optional<Route> route(JobView job, FleetView fleet);
}
