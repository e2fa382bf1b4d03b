package io.un0.scheduler.loop;

import io.un0.energy.BoundaryShare;
import io.un0.energy.ProcessEnergyReporter;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.Lease;
import io.un0.proto.mesh.v1.ProcessEnergy;
import io.un0.proto.mesh.v1.ProcessRole;
import io.un0.proto.v1.Quality;
import io.un0.routing.CarbonBlindBaseline;
import io.un0.routing.FleetView;
import io.un0.routing.GridSignal;
import io.un0.routing.JobView;
import io.un0.routing.Option;
import io.un0.routing.PoolView;
import io.un0.routing.Route;
import io.un0.routing.RoutingPolicy;
import io.un0.scheduler.mapping.QualitySteps;
import io.un0.scheduler.mapping.RouteMessages;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Leases of the route for interactive jobs, one per live gateway, renewed every {@link #EVERY}: the policy's route for
 * one image of the quality a caller gets by default, decided on the pass's view of the fleet, which the gateway then
 * applies itself to the jobs that fit it ({@link io.un0.proto.Leases#fits}), one Kafka hop instead of two. Each lease
 * lets its gateway assign its share of what the chosen pool runs until the next renewal; the scheduler counts those
 * assignments against the pool as their decisions arrive, as it counts another scheduler's. Loop thread only.
 */
final class InteractiveLeases {

    /** How often leases are renewed: a lease's room is what its pool runs in this time. */
    static final Duration EVERY = Duration.ofMillis(500);
    /** A lease outlives two missed renewals, so that a slow pass does not send every caller the long way. */
    private static final Duration LASTS = EVERY.multipliedBy(3);
    /** A gateway is leased to while its energy reports (every 2 s by default) keep coming. */
    private static final Duration GATEWAY_SEEN_WITHIN = Duration.ofSeconds(10);
    /** What a job carries when its caller leaves the quality unset: most interactive calls. */
    private static final Quality DEFAULT_QUALITY = Quality.getDefaultInstance();
    private static final String GATEWAY_PREFIX = ProcessEnergyReporter.name(ProcessRole.PROCESS_ROLE_GATEWAY, "");

    private final RoutingPolicy policy;
    private final RouteMessages messages;
    private final double unknownGramsPerKwh;
    private Instant next = Instant.MIN;

    InteractiveLeases(RoutingPolicy policy, RouteMessages messages, double unknownGramsPerKwh) {
        this.policy = policy;
        this.messages = messages;
        this.unknownGramsPerKwh = unknownGramsPerKwh;
    }

    boolean due(Instant now) {
        return !now.isBefore(next);
    }

    /**
     * The leases for the gateways among {@code processes} that reported lately; none where the policy routes no
     * interactive image now (the gateways' jobs then go through a scheduler, which sheds them with the reason).
     *
     * @param grid   the grid signal a pool's region is priced by
     * @param shared the mesh's own energy per image, as assignments carry it
     */
    List<Lease> renew(FleetView view, List<ProcessEnergy> processes, Function<String, Optional<GridSignal>> grid, Optional<BoundaryShare> shared) {
        Instant now = view.at();
        next = now.plus(EVERY);
        List<String> gateways = processes.stream()
                .filter(p -> p.getRole() == ProcessRole.PROCESS_ROLE_GATEWAY && p.getProcess().startsWith(GATEWAY_PREFIX)
                        && p.hasSent() && Duration.between(ProtoTime.instant(p.getSent()), now).compareTo(GATEWAY_SEEN_WITHIN) <= 0)
                .map(p -> p.getProcess().substring(GATEWAY_PREFIX.length())).sorted().toList();
        if (gateways.isEmpty()) {
            return List.of();
        }
        JobView image = JobView.interactive("lease", 1, QualitySteps.UNSPECIFIED, Set.of(), Set.of());
        Optional<Route> route = policy.route(image, view).filter(r -> !r.defers(now));
        Optional<PoolView> pool = route.flatMap(r -> view.pools().stream().filter(p -> p.pool().equals(r.pool())).findFirst());
        if (pool.isEmpty()) {
            return List.of();
        }
        Route r = route.get();
        double imagesPerSecond = pool.get().budgetedEvalsPerSecond(r.precision()) / r.steps();
        int share = (int) Math.max(1, Math.min(imagesPerSecond * EVERY.toNanos() / 1e9, pool.get().headroom()) / gateways.size());
        Optional<Option> carbonBlind = CarbonBlindBaseline.of(image, view, unknownGramsPerKwh);
        Optional<GridSignal> signal = grid.apply(r.pool());
        return gateways.stream().map(g -> messages.lease(UUID.randomUUID().toString(), g, DEFAULT_QUALITY, now, r, pool.get().region(),
                carbonBlind, share, now.plus(LASTS), signal, shared)).toList();
    }
}
