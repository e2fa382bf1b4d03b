package io.un0.scheduler.loop;

import com.google.protobuf.InvalidProtocolBufferException;
import io.un0.energy.BoundaryLedger;
import io.un0.energy.BoundaryShare;
import io.un0.kafka.ConsumerThreads;
import io.un0.kafka.DeadLetters;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.kafka.SubmissionCodec;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.mesh.v1.GridIntensity;
import io.un0.proto.mesh.v1.Heartbeat;
import io.un0.proto.mesh.v1.ProcessEnergy;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.DecisionKind;
import io.un0.routing.Fleet;
import io.un0.routing.FleetView;
import io.un0.routing.GridSignal;
import io.un0.routing.PowerBudgets;
import io.un0.routing.Urgency;
import io.un0.routing.WorkerState;
import io.un0.scheduler.mapping.GridSignals;
import io.un0.scheduler.mapping.InvalidEnvelopeException;
import io.un0.scheduler.mapping.JobViews;
import io.un0.scheduler.mapping.WorkerStates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The scheduler's view of the fleet and the grid, and the batches cancelled. Reads every heartbeat and grid signal
 * partition from the beginning (both topics are compacted: one latest heartbeat per worker, one signal per region),
 * the batch submissions topic within its retention for cancellations, and the decisions from their end on, for the
 * other schedulers' assignments (counted against their pools until the pools' next heartbeats, as this one counts its
 * own, so that two schedulers do not fill the same room), on its own thread and keeps reading. Outside any group, nothing is committed: a restart rebuilds the fleet and the grid the same way, and
 * dead-letters an unreadable record still there again. Its views are safe to take from any thread.
 */
final class FleetReader {

    /** Processes report every few seconds: the share worked out once is good for this long. */
    private static final Duration SHARE_REUSED_FOR = Duration.ofSeconds(1);

    private record SharedAt(Instant at, Optional<BoundaryShare> share) {
    }

    private final SchedulerSettings settings;
    private final Fleet fleet;
    private final DeadLetters deadLetters;
    /** The latest signal per region, as the reader thread last read it. */
    private final Map<String, GridSignals.Observed> grid = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> signals;
    private final BatchCancellations cancellations = new BatchCancellations();
    /** The mesh's processes' energy reports, for each assignment's share of what they drew beyond the engine runs. */
    private final BoundaryLedger energy;
    /** Written by this reader's thread, drained by the loop's. */
    private final Queue<LeasedWork> leasedWork = new ConcurrentLinkedQueue<>();
    private volatile SharedAt shared;
    /** Opens once the heartbeat, grid signal and batch submission topics have been read to where they ended at start. */
    private final CountDownLatch rebuilt = new CountDownLatch(1);
    private final Thread thread;

    /**
     * @param running asked by the reader thread whether to go on
     * @param fail    told what stopped the reader thread, when that was not a stop
     */
    FleetReader(SchedulerSettings settings, DeadLetters deadLetters, BooleanSupplier running, Consumer<Throwable> fail) {
        this.settings = settings;
        this.fleet = new Fleet(settings.liveness());
        this.energy = new BoundaryLedger(settings.energyWindow());
        this.deadLetters = deadLetters;
        this.signals = MeshClients.reader(settings.kafka(), settings.instance() + "-signals");
        this.thread = new Thread(() -> read(running, fail), settings.instance() + "-signals");
    }

    void start() {
        thread.start();
    }

    /** Whether the fleet and the grid were read to where their topics ended at start, within {@code timeout}. */
    boolean awaitRebuilt(Duration timeout) throws InterruptedException {
        return rebuilt.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The live fleet at {@code now}, with these power budgets and the grid signals in force. */
    FleetView snapshot(Instant now, PowerBudgets budgets) {
        return fleet.snapshot(now, budgets, gridAt(now));
    }

    /**
     * Each process's latest energy report: the joules its run drew since it started, with their source. A process
     * that restarts starts its count again, which Prometheus reads as a counter reset.
     */
    List<ProcessEnergy> processEnergy() {
        return energy.latest();
    }

    /** Workers heard from within the liveness window at {@code now}. */
    List<WorkerState> live(Instant now) {
        return fleet.live(now);
    }

    /** Pools with at least one live worker at {@code now}. */
    int livePools(Instant now) {
        return fleet.snapshot(now).pools().size();
    }

    /** The grid signal in force per region at {@code now}, flagged stale where it was not refreshed in time. */
    Map<String, GridSignal> gridAt(Instant now) {
        Map<String, GridSignal> in = new HashMap<>();
        grid.forEach((region, observed) -> in.put(region, observed.at(now, settings.gridMaxAge())));
        return in;
    }

    /**
     * Per image, what the mesh's processes drew beyond the jobs' engine runs over the window ending {@code now}, each
     * process's joules at its region's signal in force (a region without one at {@code unknownGramsPerKwh}); empty
     * before any image was served in a window.
     */
    Optional<BoundaryShare> sharedEnergy(Instant now, double unknownGramsPerKwh) {
        SharedAt last = shared;
        if (last != null && !now.isBefore(last.at()) && now.isBefore(last.at().plus(SHARE_REUSED_FOR))) {
            return last.share();
        }
        Map<String, GridSignal> in = gridAt(now);
        Optional<BoundaryShare> share = energy.share(now, region -> {
            GridSignal signal = in.get(region);
            return signal == null ? unknownGramsPerKwh : signal.intensity().gramsPerKwh();
        });
        shared = new SharedAt(now, share);
        return share;
    }

    /** The batches cancelled so far. */
    BatchCancellations cancellations() {
        return cancellations;
    }

    /** Counts a job against its pool until the pool's next heartbeat counts it. */
    void reserve(String pool, int images, double evals, Urgency urgency, Instant now) {
        fleet.reserve(pool, images, evals, urgency, now);
    }

    /** Ends a poll in progress; the thread then asks {@code running} and stops. */
    void wakeup() {
        signals.wakeup();
    }

    /** Stops the reader thread (it must have been told to stop) and closes its consumer. */
    void stop() {
        if (!thread.isAlive()) {
            if (thread.getState() == Thread.State.NEW) {
                signals.close();
            }
            return;
        }
        signals.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read(BooleanSupplier running, Consumer<Throwable> fail) {
        try {
            ConsumerThreads.guarded(running, () -> {
                List<TopicPartition> partitions = new ArrayList<>();
                for (MeshTopic t : List.of(MeshTopic.HEARTBEATS, MeshTopic.GRID_SIGNALS, MeshTopic.BATCH_SUBMISSIONS, MeshTopic.PROCESS_ENERGY)) {
                    partitions.addAll(MeshTopics.partitions(signals, t, Duration.ofSeconds(30)));
                }
                // Assignments before now are in the heartbeats already, or will be by the next ones.
                List<TopicPartition> decisions = MeshTopics.partitions(signals, MeshTopic.DECISIONS, Duration.ofSeconds(30));
                List<TopicPartition> all = new ArrayList<>(partitions);
                all.addAll(decisions);
                signals.assign(all);
                signals.seekToBeginning(partitions);
                signals.seekToEnd(decisions);
                Map<TopicPartition, Long> endAtStart = signals.endOffsets(partitions);
                while (running.getAsBoolean()) {
                    for (ConsumerRecord<String, byte[]> r : signals.poll(Duration.ofMillis(200))) {
                        if (r.topic().equals(MeshTopic.HEARTBEATS.name())) {
                            observeHeartbeat(r);
                        } else if (r.topic().equals(MeshTopic.GRID_SIGNALS.name())) {
                            observeGrid(r);
                        } else if (r.topic().equals(MeshTopic.PROCESS_ENERGY.name())) {
                            observeEnergy(r);
                        } else if (r.topic().equals(MeshTopic.DECISIONS.name())) {
                            observeDecision(r);
                        } else {
                            observeSubmission(r);
                        }
                    }
                    if (rebuilt.getCount() > 0 && partitions.stream().allMatch(p -> signals.position(p) >= endAtStart.get(p))) {
                        rebuilt.countDown();
                    }
                }
            }, fail);
        } finally {
            signals.close();
        }
    }

    private void observeHeartbeat(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return; // A tombstone retires a worker's key; liveness already drops a silent worker from the fleet.
        }
        try {
            fleet.observe(WorkerStates.of(Heartbeat.parseFrom(r.value()), settings.hardware()));
        } catch (InvalidProtocolBufferException e) {
            deadLetters.send(r, "not an un0.mesh.v1.Heartbeat: " + e.getMessage());
        } catch (InvalidEnvelopeException e) {
            deadLetters.send(r, e.getMessage());
        }
    }

    /** Only cancellations matter here; the gateway's expander reads the same records and dead-letters unreadable ones. */
    private void observeSubmission(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            // Protobuf or JSON, as any producer may write it: a cancellation in JSON drops held jobs too.
            cancellations.observe(SubmissionCodec.decode(r.value(), r.headers()));
        } catch (IllegalArgumentException e) {
            // Dead-lettered by the gateway, which owns the topic's validation: counting it twice would mislead.
        }
    }

    /** Interactive work a gateway assigned under this scheduler's lease, for the loop's hour-by-hour history. */
    record LeasedWork(String pool, Instant decided, double evals) {
    }

    /** What gateways assigned under this scheduler's leases since the last call. Loop thread. */
    List<LeasedWork> drainLeased() {
        List<LeasedWork> drained = new ArrayList<>();
        for (LeasedWork w = leasedWork.poll(); w != null; w = leasedWork.poll()) {
            drained.add(w);
        }
        return drained;
    }

    /**
     * Another scheduler's assignment, or a gateway's under a lease (this scheduler's included: its passes never
     * counted those), counted against its pool here too until the pool's next heartbeat counts it.
     */
    private void observeDecision(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            Decision d = Decision.parseFrom(r.value());
            boolean leased = !d.getLeaseId().isEmpty();
            if (d.getKind() == DecisionKind.DECISION_KIND_ASSIGN && (leased || !d.getScheduler().equals(settings.instance())) && d.getImages() > 0
                    && d.hasDecided() && !d.getChosen().getPool().isEmpty()) {
                double evals = (double) d.getImages() * Math.max(1, d.getChosen().getSteps());
                Instant decided = ProtoTime.instant(d.getDecided());
                fleet.reserve(d.getChosen().getPool(), d.getImages(), evals, JobViews.urgency(d.getPriority()), decided);
                if (leased && d.getScheduler().equals(settings.instance())) {
                    leasedWork.add(new LeasedWork(d.getChosen().getPool(), decided, evals));
                }
            }
        } catch (InvalidProtocolBufferException | InvalidEnvelopeException e) {
            // The console and the reports read the same records and pass such ones over: not the fleet's business.
        }
    }

    private void observeEnergy(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return; // A retired process: silent, it drops out of the window by itself.
        }
        try {
            energy.record(ProcessEnergy.parseFrom(r.value()));
        } catch (InvalidProtocolBufferException e) {
            deadLetters.send(r, "not an un0.mesh.v1.ProcessEnergy: " + e.getMessage());
        }
    }

    private void observeGrid(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            grid.remove(r.key()); // The region is no longer published: priced as unknown from now on.
            return;
        }
        try {
            GridSignals.Observed signal = GridSignals.of(GridIntensity.parseFrom(r.value()));
            grid.put(signal.signal().region(), signal);
        } catch (InvalidProtocolBufferException e) {
            deadLetters.send(r, "not an un0.mesh.v1.GridIntensity: " + e.getMessage());
        } catch (InvalidEnvelopeException e) {
            deadLetters.send(r, e.getMessage());
        }
    }
}
