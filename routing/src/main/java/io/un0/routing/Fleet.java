package io.un0.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live fleet, built from heartbeats alone. A worker not heard from within the liveness window drops out of
 * the snapshot, and a pool with no live worker with it, so routing goes around it. Thread-safe.
 */
public final class Fleet {

    private final Duration liveness;
    private final Map<String, WorkerState> workers = new ConcurrentHashMap<>();
    /** Images sent to each pool that its workers' heartbeats may not count yet. */
    private final Map<String, List<Reservation>> reservations = new ConcurrentHashMap<>();

    private record Reservation(Instant at, int images) {
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
    public void reserve(String pool, int images, Instant now) {
        reservations.computeIfAbsent(pool, p -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(new Reservation(now, images));
    }

    public FleetView snapshot(Instant now) {
        Instant cutoff = now.minus(liveness);
        Map<String, List<WorkerState>> byPool = new LinkedHashMap<>();
        workers.values().stream().filter(w -> !w.seen().isBefore(cutoff)).sorted(Comparator.comparing(WorkerState::worker))
                .forEach(w -> byPool.computeIfAbsent(w.pool(), p -> new ArrayList<>()).add(w));
        List<PoolView> pools = new ArrayList<>();
        byPool.forEach((pool, live) -> {
            WorkerState first = live.get(0);
            Set<String> precisions = new HashSet<>(first.precisions());
            live.forEach(w -> precisions.retainAll(w.precisions()));
            Instant heard = live.stream().map(WorkerState::seen).max(Comparator.naturalOrder()).orElseThrow();
            List<Reservation> sent = reservations.get(pool);
            int inTransit = 0;
            if (sent != null) {
                sent.removeIf(r -> !r.at().isAfter(heard));
                inTransit = sent.stream().mapToInt(Reservation::images).sum();
            }
            pools.add(new PoolView(pool, first.site(), first.region(), first.deviceClass(), precisions, live.size(),
                    live.stream().mapToInt(WorkerState::capacity).sum(), live.stream().mapToInt(WorkerState::queueDepth).sum() + inTransit));
        });
        pools.sort(Comparator.comparing(PoolView::pool));
        return new FleetView(now, pools);
    }
}
