package io.un0.routing;

import io.un0.vocabulary.Precision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live fleet, built from heartbeats alone. A worker not heard from within the liveness window drops out of
 * the snapshot, and a pool with no live worker with it, so routing goes around it. Thread-safe.
 */
public final class Fleet {

    private final Duration liveness;
    private final Map<String, WorkerState> workers = new ConcurrentHashMap<>();
    /** Images sent to each pool that its workers' heartbeats may not count yet. */
    private final Map<String, List<Reservation>> reservations = new ConcurrentHashMap<>();

    /** @param interactive whether it travels its pool's interactive lane, which workers take ahead of the queued one */
    private record Reservation(Instant at, int images, double evals, boolean interactive) {
    }

    public Fleet(Duration liveness) {
        this.liveness = liveness;
    }

    /** Keeps the newer of two heartbeats of a worker, so that a late, reordered one cannot roll its state back. */
    public void observe(WorkerState heartbeat) {
        workers.merge(heartbeat.worker(), heartbeat, (old, now) -> now.seen().isBefore(old.seen()) ? old : now);
    }

    /**
     * Counts {@code images} just sent to {@code pool} against it until a heartbeat of the pool sent after now
     * reports them, so that a burst of jobs between two heartbeats does not overfill one pool.
     */
    public void reserve(String pool, int images, double evals, Urgency urgency, Instant now) {
        reservations.computeIfAbsent(pool, p -> new CopyOnWriteArrayList<>())
                .add(new Reservation(now, images, evals, urgency == Urgency.INTERACTIVE));
    }

    /** Workers heard from within the liveness window, by name. */
    public List<WorkerState> live(Instant now) {
        Instant cutoff = now.minus(liveness);
        return workers.values().stream().filter(w -> !w.seen().isBefore(cutoff)).sorted(Comparator.comparing(WorkerState::worker)).toList();
    }

    /** The live fleet with no budget and no grid signal. */
    public FleetView snapshot(Instant now) {
        return snapshot(now, PowerBudgets.NONE, Map.of());
    }

    /** @param grid the signal in force per region */
    public FleetView snapshot(Instant now, PowerBudgets budgets, Map<String, GridSignal> grid) {
        Map<String, List<WorkerState>> byPool = new LinkedHashMap<>();
        live(now).forEach(w -> byPool.computeIfAbsent(w.pool(), p -> new ArrayList<>()).add(w));
        List<PoolView> pools = new ArrayList<>();
        byPool.forEach((pool, live) -> {
            WorkerState first = live.get(0);
            Set<Precision> precisions = EnumSet.noneOf(Precision.class);
            precisions.addAll(first.precisions());
            live.forEach(w -> precisions.retainAll(w.precisions()));
            Instant heard = live.stream().map(WorkerState::seen).max(Comparator.naturalOrder()).orElseThrow();
            List<Reservation> sent = reservations.get(pool);
            int inTransit = 0;
            double evalsInTransit = 0;
            double interactiveInTransit = 0;
            if (sent != null) {
                sent.removeIf(r -> !r.at().isAfter(heard));
                inTransit = sent.stream().mapToInt(Reservation::images).sum();
                evalsInTransit = sent.stream().mapToDouble(Reservation::evals).sum();
                interactiveInTransit = sent.stream().filter(Reservation::interactive).mapToDouble(Reservation::evals).sum();
            }
            int queued = live.stream().mapToInt(WorkerState::queueDepth).sum();
            // An interactive job waits behind what the workers say is ahead of it (ours finish the batch in hand first)
            // and the interactive work sent since, not behind the queued lane.
            pools.add(new PoolView(pool, first.site(), first.region(), first.deviceClass(), poolRates(live, precisions), live.size(),
                    live.stream().mapToInt(WorkerState::capacity).sum(), queued + inTransit,
                    live.stream().mapToDouble(WorkerState::queuedEvals).sum() + evalsInTransit,
                    live.stream().mapToDouble(WorkerState::urgentEvals).sum() + interactiveInTransit,
                    live.stream().mapToDouble(WorkerState::idleWatts).sum(), live.stream().mapToDouble(WorkerState::powerWatts).sum(),
                    Double.POSITIVE_INFINITY, live.stream().mapToDouble(WorkerState::embodiedGramsPerSecond).sum()));
        });
        pools.sort(Comparator.comparing(PoolView::pool));
        return new FleetView(now, budgets.apply(pools), grid);
    }

    /** Speeds add up across a pool's workers; joules per evaluation are their speed-weighted mean. */
    private static Map<Precision, Rate> poolRates(List<WorkerState> live, Set<Precision> precisions) {
        Map<Precision, Rate> rates = new EnumMap<>(Precision.class);
        for (Precision precision : precisions) {
            double speed = 0;
            double watts = 0;
            for (WorkerState w : live) {
                Rate r = w.rates().get(precision);
                speed += r.evalsPerSecond();
                watts += r.fullWatts();
            }
            rates.put(precision, new Rate(speed, watts / speed));
        }
        return rates;
    }
}
