package io.un0.scheduler.loop;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.un0.kafka.DeadLetters;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.kafka.TraceHeaders;
import io.un0.proto.JobResults;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.v1.Alternative;
import io.un0.proto.v1.Assignment;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.DecisionKind;
import io.un0.proto.v1.Heartbeat;
import io.un0.proto.v1.Job;
import io.un0.proto.v1.FailureKind;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.Precision;
import io.un0.routing.Fleet;
import io.un0.routing.FleetView;
import io.un0.routing.JobView;
import io.un0.routing.PoolView;
import io.un0.routing.Route;
import io.un0.routing.RoutingPolicy;
import io.un0.scheduler.mapping.InvalidEnvelopeException;
import io.un0.scheduler.mapping.JobViews;
import io.un0.scheduler.mapping.Precisions;
import io.un0.scheduler.mapping.WorkerStates;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The scheduler: keeps the fleet view from heartbeats, reads jobs, asks the routing policy where each runs, and
 * writes the assignment for that pool with the decision that explains it. A job no pool can take now is held and
 * offered again every retry interval; at its deadline (or after the longest hold, without one) it is shed with a
 * failed result, so that whoever waits for it gets an answer.
 *
 * <p>At-least-once: a job partition's offset is committed only past records whose outputs the broker has
 * acknowledged, and never past a job still held, so a restart redelivers held jobs. Jobs routed after a held one
 * are routed again then; workers' results are idempotent by job id, so that costs work, not correctness.
 */
public final class SchedulerLoop implements Runnable, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SchedulerLoop.class.getName());
    private static final String GROUP = "un0-scheduler";
    private static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");
    private static final AttributeKey<String> POOL = AttributeKey.stringKey("pool");

    private final SchedulerSettings settings;
    private final RoutingPolicy policy;
    private final OpenTelemetry otel;
    private final Tracer tracer;
    private final LongCounter decisions;
    private final List<ObservableLongGauge> gauges;
    private final Fleet fleet;
    /** The fleet as this pass sees it, with the pass's own assignments counted in. */
    private FleetView fleetView;
    private final KafkaConsumer<String, byte[]> jobs;
    private final KafkaConsumer<String, byte[]> heartbeats;
    private final KafkaProducer<String, byte[]> producer;
    private final DeadLetters deadLetters;
    /** Jobs waiting for a pool, oldest first; only the loop thread touches it. */
    private final List<PendingJob> held = new ArrayList<>();
    private final CommitPoints commits = new CommitPoints();
    private final Set<String> poolsWithTopic = new HashSet<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Opens once the heartbeat topic has been read to where it ended at start. */
    private final CountDownLatch fleetRebuilt = new CountDownLatch(1);
    private volatile int heldCount;
    private volatile boolean routing;
    private volatile Throwable failure;

    /** @param otel where spans and metrics go, and how trace context is read and written; {@code OpenTelemetry.noop()} for none */
    public SchedulerLoop(SchedulerSettings settings, RoutingPolicy policy, OpenTelemetry otel) {
        this.settings = settings;
        this.policy = policy;
        this.otel = otel;
        this.tracer = otel.getTracer("io.un0.scheduler");
        this.fleet = new Fleet(settings.liveness());
        this.jobs = MeshClients.groupMember(settings.bootstrapServers(), GROUP, settings.instance() + "-jobs", 500);
        this.heartbeats = MeshClients.reader(settings.bootstrapServers(), settings.instance() + "-heartbeats");
        this.producer = MeshClients.producer(settings.bootstrapServers(), settings.instance() + "-out", Duration.ofSeconds(30));
        this.deadLetters = new DeadLetters(producer, "scheduler " + settings.instance());
        Meter meter = otel.getMeter("io.un0.scheduler");
        this.decisions = meter.counterBuilder("un0.scheduler.decisions").setUnit("{decision}")
                .setDescription("Routing decisions by kind (assign, shed) and, for assignments, pool").build();
        this.gauges = List.of(
                meter.gaugeBuilder("un0.scheduler.held").ofLongs().setUnit("{job}")
                        .setDescription("Jobs no pool could take yet, waiting for one").buildWithCallback(g -> g.record(heldCount)),
                meter.gaugeBuilder("un0.scheduler.live_pools").ofLongs().setUnit("{pool}")
                        .setDescription("Pools with at least one live worker")
                        .buildWithCallback(g -> g.record(fleet.snapshot(Instant.now()).pools().size())));
    }

    @Override
    public void run() {
        Thread reader = new Thread(this::readHeartbeats, settings.instance() + "-heartbeats");
        try {
            guarded(() -> {
                MeshTopics.create(settings.bootstrapServers(), MeshTopic.FIXED);
                reader.start();
                // Routing before the fleet is rebuilt would hold (or shed) jobs that a live pool could take.
                if (!fleetRebuilt.await(settings.liveness().toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "heartbeats not read to their end within {0}; routing with the fleet seen so far",
                            settings.liveness());
                }
                jobs.subscribe(List.of(MeshTopic.JOBS.name()), new ForgetRevoked());
                routing = true;
                LOG.log(System.Logger.Level.INFO, "scheduler {0} routing jobs with policy {1}", settings.instance(), settings.policy());
                Instant nextRetry = Instant.MIN;
                while (running.get()) {
                    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
                    jobs.poll(settings.retryEvery()).forEach(records::add);
                    Instant now = Instant.now();
                    // One view of the fleet per pass: heartbeats that arrive meanwhile count from the next pass; the jobs
                    // assigned during the pass count against their pool at once.
                    fleetView = fleet.snapshot(now);
                    List<Future<RecordMetadata>> sent = new ArrayList<>();
                    if (!now.isBefore(nextRetry)) {
                        sent.addAll(retryHeld());
                        nextRetry = now.plus(settings.retryEvery());
                    }
                    for (ConsumerRecord<String, byte[]> r : records) {
                        sent.addAll(take(r));
                        commits.taken(new TopicPartition(r.topic(), r.partition()), r.offset());
                    }
                    heldCount = held.size();
                    awaitAcknowledged(sent);
                    commit();
                }
            });
        } finally {
            routing = false;
            running.set(false);
            stopReader(reader);
            jobs.close();
            producer.close(Duration.ofSeconds(5));
            gauges.forEach(ObservableLongGauge::close);
        }
    }

    /** Whether the loop is routing: topics made, fleet read, jobs subscribed, and not stopped. */
    public boolean routing() {
        return routing;
    }

    /** Why the loop stopped on its own, if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Stops after the records in hand; held jobs stay uncommitted, so the next scheduler gets them again. */
    @Override
    public void close() {
        if (running.getAndSet(false)) {
            jobs.wakeup();
            heartbeats.wakeup();
        }
    }

    private void fail(Throwable e) {
        failure = e;
        LOG.log(System.Logger.Level.ERROR, "scheduler " + settings.instance() + " stopped", e);
        close();
    }

    /** Checks a job and offers it to the policy; holds it when no pool can take it yet and it may still wait. */
    private List<Future<RecordMetadata>> take(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return List.of(deadLetters.send(r, "not an un0.v1.Job: the record has no value"));
        }
        Job job;
        JobView view;
        try {
            job = Job.parseFrom(r.value());
            view = JobViews.of(job);
        } catch (InvalidProtocolBufferException e) {
            return List.of(deadLetters.send(r, "not an un0.v1.Job: " + e.getMessage()));
        } catch (InvalidEnvelopeException e) {
            return List.of(deadLetters.send(r, e.getMessage()));
        }
        Instant now = fleetView.at();
        PendingJob pending = new PendingJob(new TopicPartition(r.topic(), r.partition()), r.offset(), job, view,
                TraceHeaders.extract(otel, r.headers()), now, giveUpAt(job, now));
        Optional<List<Future<RecordMetadata>>> decided = decide(pending);
        if (decided.isEmpty()) {
            held.add(pending);
        }
        return decided.orElse(List.of());
    }

    /** A job's deadline; without one, the longest hold counted from when the gateway accepted it (else from now). */
    private Instant giveUpAt(Job job, Instant now) {
        if (job.hasDeadline()) {
            return ProtoTime.instant(job.getDeadline());
        }
        return (job.hasAccepted() ? ProtoTime.instant(job.getAccepted()) : now).plus(settings.maxHold());
    }

    private List<Future<RecordMetadata>> retryHeld() {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Iterator<PendingJob> it = held.iterator(); it.hasNext(); ) {
            Optional<List<Future<RecordMetadata>>> decided = decide(it.next());
            if (decided.isPresent()) {
                sent.addAll(decided.get());
                it.remove();
            }
        }
        return sent;
    }

    /** Assigns the job, or sheds it once it may wait no longer; empty while it may still wait. */
    private Optional<List<Future<RecordMetadata>>> decide(PendingJob job) {
        Optional<Route> route = policy.route(job.view(), fleetView);
        if (route.isPresent()) {
            Instant now = fleetView.at();
            // The pool's next heartbeat will count this job; until then the scheduler counts it itself.
            fleet.reserve(route.get().pool(), job.view().images(), now);
            fleetView = fleetView.reserve(route.get().pool(), job.view().images());
            return Optional.of(assign(job, route.get(), now));
        }
        return fleetView.at().isBefore(job.giveUpAt()) ? Optional.empty() : Optional.of(shed(job, fleetView));
    }

    private List<Future<RecordMetadata>> assign(PendingJob pending, Route route, Instant now) {
        Job job = pending.job();
        Precision precision = Precisions.of(route.precision());
        String decisionId = UUID.randomUUID().toString();
        Span span = span(pending).setAttribute("un0.pool", route.pool()).setAttribute("un0.route.reason", route.reason()).startSpan();
        try {
            MeshTopic topic = MeshTopic.assignments(route.pool());
            if (!poolsWithTopic.contains(route.pool())) {
                MeshTopics.create(settings.bootstrapServers(), List.of(topic));
                poolsWithTopic.add(route.pool());
            }
            Assignment assignment = Assignment.newBuilder().setJob(job).setPool(route.pool()).setPrecision(precision)
                    .setSteps(route.steps()).setDecisionId(decisionId).build();
            Decision decision = decision(decisionId, job, DecisionKind.DECISION_KIND_ASSIGN, now)
                    .setChosen(Alternative.newBuilder().setPool(route.pool()).setPrecision(precision).setSteps(route.steps())).build();
            decisions.add(1, Attributes.of(KIND, "assign", POOL, route.pool()));
            return List.of(send(topic.name(), job.getJobId(), assignment, pending, span),
                    send(MeshTopic.DECISIONS.name(), job.getJobId(), decision, pending, span));
        } finally {
            span.end();
        }
    }

    private List<Future<RecordMetadata>> shed(PendingJob pending, FleetView view) {
        Instant now = view.at();
        Job job = pending.job();
        String error = "no live pool with room could take job " + job.getJobId() + " before its deadline ("
                + whyNoPool(pending, view) + ")";
        LOG.log(System.Logger.Level.INFO, error);
        Span span = span(pending).startSpan();
        try {
            span.setStatus(StatusCode.ERROR, error);
            Decision decision = decision(UUID.randomUUID().toString(), job, DecisionKind.DECISION_KIND_SHED, now).build();
            JobResult result = JobResults.failed(job, FailureKind.FAILURE_KIND_NO_CAPACITY, error);
            decisions.add(1, Attributes.of(KIND, "shed"));
            return List.of(send(MeshTopic.DECISIONS.name(), job.getJobId(), decision, pending, span),
                    send(MeshTopic.RESULTS.name(), JobResults.key(result), result, pending, span));
        } finally {
            span.end();
        }
    }

    /** What the job asked for against what the fleet offered, so that the caller can tell what to change. */
    private String whyNoPool(PendingJob pending, FleetView view) {
        JobView job = pending.view();
        String limit = pending.job().hasDeadline() ? "deadline " + pending.giveUpAt()
                : "no deadline, so at most " + settings.maxHold().toMillis() + " ms";
        String pools = view.pools().isEmpty() ? "no live pool" : "live pools: " + view.pools().stream()
                .map(SchedulerLoop::describe).collect(Collectors.joining(", "));
        return limit + "; held " + Duration.between(pending.read(), view.at()).toMillis() + " ms; it asks for " + job.images()
                + (job.images() == 1 ? " image" : " images") + " at " + job.steps() + (job.steps() == 1 ? " step" : " steps")
                + ", precisions " + anyIfEmpty(job.allowedPrecisions())
                + ", regions " + anyIfEmpty(job.allowedRegions()) + "; " + pools;
    }

    private static String describe(PoolView p) {
        return p.pool() + " (" + p.region() + ", " + String.join("/", new TreeSet<>(p.precisions())) + ", "
                + p.headroom() + " of " + p.capacity() + " images free)";
    }

    private static String anyIfEmpty(Set<String> values) {
        return values.isEmpty() ? "any" : String.join("/", new TreeSet<>(values));
    }

    private Decision.Builder decision(String decisionId, Job job, DecisionKind kind, Instant now) {
        return Decision.newBuilder().setDecisionId(decisionId).setJobId(job.getJobId()).setKind(kind)
                .setPolicy(settings.policy()).setDecided(ProtoTime.timestamp(now));
    }

    /** Starts when the job was read, so a held job's span shows how long it waited. */
    private SpanBuilder span(PendingJob pending) {
        return tracer.spanBuilder("un0.scheduler.route").setParent(pending.sentIn()).setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(pending.read()).setAttribute("un0.job_id", pending.job().getJobId())
                .setAttribute("un0.policy", settings.policy());
    }

    private Future<RecordMetadata> send(String topic, String key, MessageLite message, PendingJob pending, Span span) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, message.toByteArray());
        TraceHeaders.inject(otel, pending.sentIn().with(span), record.headers());
        return producer.send(record);
    }

    private static void awaitAcknowledged(List<Future<RecordMetadata>> sent) throws InterruptedException {
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (ExecutionException e) {
                // Stopping uncommitted means the records come back to the next scheduler: repeated, not lost.
                throw new IllegalStateException("an output was not acknowledged, so no offset was committed: "
                        + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private void commit() {
        Map<TopicPartition, Long> lowestHeld = new HashMap<>();
        held.forEach(p -> lowestHeld.merge(p.partition(), p.offset(), Math::min));
        Map<TopicPartition, OffsetAndMetadata> due = commits.due(lowestHeld);
        if (!due.isEmpty()) {
            jobs.commitSync(due);
            commits.committed(due);
        }
    }

    /** Jobs held from partitions that moved to another scheduler are dropped here: uncommitted, they are redelivered there. */
    private final class ForgetRevoked implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            held.removeIf(p -> partitions.contains(p.partition()));
            heldCount = held.size();
            commits.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Nothing to restore: a new partition's records arrive from its committed offset, held ones included.
        }
    }

    /**
     * Reads every heartbeat partition from the beginning (the topic is compacted: one latest heartbeat per worker)
     * and keeps reading. Outside any group, nothing is committed: a restart rebuilds the fleet the same way, and
     * dead-letters an unreadable heartbeat still on the topic again.
     */
    private void readHeartbeats() {
        try {
            guarded(() -> {
                List<TopicPartition> partitions = heartbeatPartitions();
                heartbeats.assign(partitions);
                heartbeats.seekToBeginning(partitions);
                Map<TopicPartition, Long> endAtStart = heartbeats.endOffsets(partitions);
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> r : heartbeats.poll(Duration.ofMillis(200))) {
                        observe(r);
                    }
                    if (fleetRebuilt.getCount() > 0 && partitions.stream().allMatch(p -> heartbeats.position(p) >= endAtStart.get(p))) {
                        fleetRebuilt.countDown();
                    }
                }
            });
        } finally {
            heartbeats.close();
        }
    }

    private interface LoopBody {
        void run() throws InterruptedException;
    }

    /** Runs one of the loop's threads: a wake-up while stopping ends it quietly; anything else stops the scheduler. */
    private void guarded(LoopBody body) {
        try {
            body.run();
        } catch (WakeupException e) {
            if (running.get()) {
                fail(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** A topic created a moment ago can still be missing from the metadata: ask again until it is there. */
    private List<TopicPartition> heartbeatPartitions() throws InterruptedException {
        return MeshTopics.partitions(heartbeats, MeshTopic.HEARTBEATS, Duration.ofSeconds(30));
    }

    private void observe(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return; // A tombstone retires a worker's key; liveness already drops a silent worker from the fleet.
        }
        try {
            fleet.observe(WorkerStates.of(Heartbeat.parseFrom(r.value())));
        } catch (InvalidProtocolBufferException e) {
            deadLetters.send(r, "not an un0.v1.Heartbeat: " + e.getMessage());
        } catch (InvalidEnvelopeException e) {
            deadLetters.send(r, e.getMessage());
        }
    }

    private void stopReader(Thread reader) {
        if (!reader.isAlive()) {
            if (reader.getState() == Thread.State.NEW) {
                heartbeats.close();
            }
            return;
        }
        heartbeats.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
