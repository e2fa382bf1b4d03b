package io.un0.scheduler.loop;

import com.google.protobuf.InvalidProtocolBufferException;
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
import io.opentelemetry.context.Context;
import io.un0.kafka.AheadPoll;
import io.un0.kafka.ConsumerThreads;
import io.un0.kafka.DeadLetters;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.kafka.TraceHeaders;
import io.un0.proto.JobResults;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.mesh.v1.Deferral;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.FailureKind;
import io.un0.proto.v1.JobResult;
import io.un0.routing.CapacityHistory;
import io.un0.routing.CarbonBlindBaseline;
import io.un0.routing.FleetView;
import io.un0.routing.GridSignal;
import io.un0.routing.InteractiveHistory;
import io.un0.routing.JobView;
import io.un0.routing.Option;
import io.un0.routing.PoolRefusals;
import io.un0.routing.PoolView;
import io.un0.routing.PowerBudgets;
import io.un0.routing.Route;
import io.un0.routing.RoutingPolicy;
import io.un0.routing.Urgency;
import io.un0.routing.WorkerState;
import io.un0.scheduler.mapping.InvalidEnvelopeException;
import io.un0.scheduler.mapping.JobViews;
import io.un0.scheduler.mapping.Precisions;
import io.un0.scheduler.mapping.RouteMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The scheduler: keeps the fleet view from heartbeats and the grid's carbon intensity from the grid signal topic,
 * reads jobs (interactive ones from a topic of their own, first when batch jobs queue up), asks the routing policy
 * where each runs, and writes the assignment for that pool with the decision that explains it (the chosen option,
 * the others weighed, the reason). An interactive job no pool can take now is
 * shed at once, so its caller can retry elsewhere; other jobs are held and offered again every retry interval, and
 * shed at their deadline (or after the longest hold, without one). A job the policy defers to a greener hour goes to
 * the deferred topic and is decided again at that hour. A job whose batch its tenant cancelled is dropped unrun,
 * held, deferred or still arriving.
 *
 * <p>At-least-once: a job partition's offset is committed only past records whose outputs the broker has
 * acknowledged, and never past a job still held, so a restart redelivers held jobs. Jobs routed after a held one
 * are routed again then; workers' results are idempotent by job id, so that costs work, not correctness. A deferred
 * job no longer holds its offset back: the deferred topic holds it (the offset is committed only once the broker has
 * acknowledged the deferral), until a tombstone retires it when it is assigned or shed.
 *
 * <p>This class is the loop (poll, decide, record, commit). The fleet and the grid come from {@link FleetReader} on
 * its own thread, held and deferred jobs live in {@link HeldJobs}, and the records written are built by
 * {@link RouteMessages}.
 */
public final class SchedulerLoop implements Runnable, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SchedulerLoop.class.getName());
    private static final AttributeKey<String> KIND = AttributeKey.stringKey("un0.decision.kind");
    private static final AttributeKey<String> POOL = AttributeKey.stringKey("un0.pool");
    private static final AttributeKey<String> REASON = AttributeKey.stringKey("un0.reason");
    /** Hours the plan of deferred work looks ahead: a day, the longest forecast a signal carries here, and one. */
    private static final int PLAN_HOURS = 25;
    /** The most jobs one poll returns: a pass that read this many has more waiting behind them. */
    private static final int JOBS_PER_POLL = 500;
    /** Batch job ids remembered as decided: ten of the largest batches the gateway takes. */
    private static final int DECIDED_BATCH_JOBS = 100_000;
    /** How long a scheduler giving partitions up waits for their offsets to be committed. */
    private static final Duration REVOKE_COMMIT_TIMEOUT = Duration.ofSeconds(10);

    private final SchedulerSettings settings;
    private final Clock clock;
    private final RoutingPolicy policy;
    private final Supplier<PowerBudgets> budgets;
    private final OpenTelemetry otel;
    private final Tracer tracer;
    private final LongCounter decisions;
    private final List<ObservableLongGauge> gauges;
    private final FleetMeters fleetMeters;
    private final RouteMessages messages;
    private final KafkaConsumer<String, byte[]> jobs;
    private final KafkaProducer<String, byte[]> producer;
    private final DeadLetters deadLetters;
    /** Heartbeats and grid signals, on their own thread. */
    private final FleetReader fleet;
    private final HeldJobs held;
    private final CommitPoints commits = new CommitPoints();
    /** Interactive work sent to each pool hour by hour: what the plan keeps free in the same hour a day later. */
    private final InteractiveHistory interactive;
    /** What each pool could run, as seen pass by pass: the plan counts on it the same hour a day later. */
    private final CapacityHistory capacity = new CapacityHistory();
    private final DecidedBatchJobs decidedBatchJobs = new DecidedBatchJobs(DECIDED_BATCH_JOBS);
    private final Set<String> poolsWithTopic = new HashSet<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** The fleet as this pass sees it, with the pass's own assignments counted in. Loop thread only. */
    private FleetView fleetView;
    /** Whether the last pass read as many jobs as a poll returns: a backlog, behind which interactive jobs are read first. Loop thread only. */
    private boolean backlog;
    private volatile boolean routing;
    private volatile Throwable failure;

    /** A scheduler with no power budget. */
    public SchedulerLoop(SchedulerSettings settings, RoutingPolicy policy, OpenTelemetry otel) {
        this(settings, policy, () -> PowerBudgets.NONE, otel);
    }

    /**
     * @param budgets the operators' power caps in force, asked once per pass
     * @param otel    where spans and metrics go, and how trace context is read and written; {@code OpenTelemetry.noop()} for none
     */
    public SchedulerLoop(SchedulerSettings settings, RoutingPolicy policy, Supplier<PowerBudgets> budgets, OpenTelemetry otel) {
        this(settings, policy, budgets, otel, Clock.systemUTC());
    }

    /**
     * @param clock what the loop takes the time from: decisions, liveness, held jobs' hours; a replay of recorded time
     *              drives its own
     */
    public SchedulerLoop(SchedulerSettings settings, RoutingPolicy policy, Supplier<PowerBudgets> budgets, OpenTelemetry otel, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.interactive = new InteractiveHistory(clock.instant());
        this.policy = policy;
        this.budgets = budgets;
        this.otel = otel;
        this.tracer = otel.getTracer("io.un0.scheduler");
        this.messages = new RouteMessages(settings.policy());
        this.jobs = MeshClients.groupMember(settings.kafka(), MeshTopic.SCHEDULER_GROUP, settings.instance() + "-jobs", JOBS_PER_POLL);
        this.producer = MeshClients.producer(settings.kafka(), settings.instance() + "-out", Duration.ofSeconds(30));
        this.deadLetters = new DeadLetters(producer, "scheduler " + settings.instance());
        this.fleet = new FleetReader(settings, deadLetters, running::get, this::fail);
        this.held = new HeldJobs(settings, otel, deadLetters, clock);
        Meter meter = otel.getMeter("io.un0.scheduler");
        this.decisions = meter.counterBuilder("un0.scheduler.decisions").setUnit("{decision}")
                .setDescription("Routing decisions by kind (assign, defer, shed, cancel); assignments by pool, sheddings by reason").build();
        this.gauges = List.of(
                meter.gaugeBuilder("un0.scheduler.held").ofLongs().setUnit("{job}")
                        .setDescription("Jobs waiting for a pool or for a greener hour").buildWithCallback(g -> g.record(held.count())),
                meter.gaugeBuilder("un0.scheduler.live_pools").ofLongs().setUnit("{pool}")
                        .setDescription("Pools with at least one live worker")
                        .buildWithCallback(g -> g.record(fleet.livePools(clock.instant()))));
        this.fleetMeters = new FleetMeters(meter, fleet, budgets, clock);
    }

    @Override
    public void run() {
        try {
            ConsumerThreads.guarded(running::get, () -> {
                MeshTopics.create(settings.kafka(), MeshTopic.FIXED);
                held.requireDeferredPartitions();
                fleet.start();
                // Routing before the fleet is rebuilt would hold (or shed) jobs that a live pool could take.
                if (!fleet.awaitRebuilt(settings.liveness())) {
                    LOG.log(System.Logger.Level.WARNING, "heartbeats and grid signals not read to their end within {0}; "
                            + "routing with what was seen so far", settings.liveness());
                }
                jobs.subscribe(MeshTopic.JOB_TOPICS.stream().map(MeshTopic::name).toList(), new Rebalance());
                routing = true;
                LOG.log(System.Logger.Level.INFO, "scheduler {0} routing jobs with policy {1}", settings.instance(), settings.policy());
                Instant nextRetry = Instant.MIN;
                while (running.get()) {
                    List<ConsumerRecord<String, byte[]>> records = poll();
                    Instant now = clock.instant();
                    // One view of the fleet per pass: heartbeats, signals and budgets that change meanwhile count from the
                    // next pass; the jobs assigned during the pass count against their pool at once.
                    fleetView = view(now);
                    List<Future<RecordMetadata>> sent = new ArrayList<>();
                    BatchCancellations cancellations = fleet.cancellations();
                    if (!cancellations.isEmpty()) {
                        for (PendingJob dropped : held.drop(cancellations::cancelled)) {
                            sent.addAll(cancel(dropped));
                        }
                    }
                    if (!now.isBefore(nextRetry)) {
                        for (PendingJob due : held.due(now)) {
                            sent.addAll(decide(due));
                        }
                        nextRetry = now.plus(settings.retryEvery());
                    }
                    for (ConsumerRecord<String, byte[]> r : records) {
                        sent.addAll(take(r));
                        commits.taken(new TopicPartition(r.topic(), r.partition()), r.offset());
                    }
                    awaitAcknowledged(sent);
                    commit();
                }
            }, this::fail);
        } finally {
            routing = false;
            running.set(false);
            fleet.stop();
            jobs.close();
            held.close();
            producer.close(Duration.ofSeconds(5));
            gauges.forEach(ObservableLongGauge::close);
            fleetMeters.close();
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

    /** The live fleet now, with the power budgets and grid signals in force: what the policy would be shown. Thread-safe. */
    public FleetView fleetNow() {
        return fleet.snapshot(clock.instant(), budgets.get());
    }

    /** Workers heard from within the liveness window, by name. Thread-safe. */
    public List<WorkerState> liveWorkers() {
        return fleet.live(clock.instant());
    }

    /** The grid signal in force per region, flagged stale where it was not refreshed in time. Thread-safe. */
    public Map<String, GridSignal> gridNow() {
        return fleet.gridAt(clock.instant());
    }

    /**
     * The next jobs: behind a backlog (a batch's thousands written at once), the interactive topic is read on its own
     * first, for its callers wait while a batch can wait a pass; else both at once, which costs no more requests.
     */
    private List<ConsumerRecord<String, byte[]>> poll() {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        if (backlog) {
            records.addAll(AheadPoll.of(jobs, MeshTopic.JOBS.name()));
        }
        jobs.poll(records.isEmpty() ? settings.retryEvery() : Duration.ZERO).forEach(records::add);
        backlog = records.size() >= JOBS_PER_POLL;
        return records;
    }

    /** The loop's view: the fleet with the plan of the deferred work it holds. Loop thread only. */
    private FleetView view(Instant now) {
        FleetView view = fleet.snapshot(now, budgets.get());
        for (PoolView p : view.pools()) {
            capacity.record(p.pool(), now, p.fastestBudgetedEvalsPerSecond());
        }
        return view.withPlan(DeferralPlans.of(view, held.all(), PLAN_HOURS, interactive, capacity));
    }

    /** Stops after the records in hand; held jobs stay uncommitted and deferred ones on their topic, so the next scheduler gets them again. */
    @Override
    public void close() {
        if (running.getAndSet(false)) {
            jobs.wakeup();
            fleet.wakeup();
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
            return List.of(deadLetters.send(r, "not an un0.mesh.v1.Job: the record has no value"));
        }
        Job job;
        JobView view;
        try {
            job = Job.parseFrom(r.value());
            view = JobViews.of(job);
        } catch (InvalidProtocolBufferException e) {
            return List.of(deadLetters.send(r, "not an un0.mesh.v1.Job: " + e.getMessage()));
        } catch (InvalidEnvelopeException e) {
            return List.of(deadLetters.send(r, e.getMessage()));
        }
        if (held.contains(job.getJobId())) {
            // Deferred before a restart whose commit did not get through: the deferred topic has it already.
            return List.of();
        }
        if (!job.getBatchId().isEmpty() && decidedBatchJobs.contains(job.getJobId())) {
            // A copy from a batch expanded twice (its gateway died mid-way): decided here already.
            return List.of();
        }
        Instant now = fleetView.at();
        PendingJob pending = PendingJob.read(new TopicPartition(r.topic(), r.partition()), r.offset(), job, view,
                TraceHeaders.extract(otel, r.headers()), now, PendingJob.giveUpAt(job, now, settings.maxHold()));
        return fleet.cancellations().cancelled(job) ? cancel(pending) : decide(pending);
    }

    /**
     * Assigns the job, defers it, or sheds it when it may wait no longer (an interactive job may not wait at all);
     * else holds it. Returns what it wrote.
     */
    private List<Future<RecordMetadata>> decide(PendingJob job) {
        Optional<Route> route = policy.route(job.view(), fleetView);
        Instant now = fleetView.at();
        // Priced on the view the policy saw, before the job is counted against a pool.
        Optional<Option> carbonBlind = route.isPresent() ? CarbonBlindBaseline.of(job.view(), fleetView, settings.unknownGramsPerKwh()) : Optional.empty();
        if (route.isPresent() && route.get().defers(now)) {
            Route r = route.get();
            PendingJob deferred = job.deferredUntil(r.start(), r.pool(), (double) job.view().images() * r.steps());
            held.hold(deferred);
            return defer(deferred, route.get(), now, carbonBlind);
        }
        if (route.isPresent()) {
            Route r = route.get();
            int images = job.view().images();
            double evals = (double) images * r.steps();
            // The pool's next heartbeat will count this job; until then the scheduler counts it itself.
            fleet.reserve(r.pool(), images, evals, job.view().urgency(), now);
            fleetView = fleetView.reserve(r.pool(), images, evals, job.view().urgency());
            if (job.view().urgency() == Urgency.INTERACTIVE) {
                interactive.record(r.pool(), now, evals);
            }
            return assign(job, r, now, carbonBlind);
        }
        if (job.view().urgency() != Urgency.INTERACTIVE && now.isBefore(job.giveUpAt())) {
            held.hold(job);
            return List.of();
        }
        return shed(job, fleetView);
    }

    private List<Future<RecordMetadata>> assign(PendingJob pending, Route route, Instant now, Optional<Option> carbonBlind) {
        Job job = pending.job();
        decidedFinally(job);
        String decisionId = UUID.randomUUID().toString();
        Span span = span(pending, "assign", route).setAttribute("un0.pool", route.pool()).startSpan();
        try {
            if (!poolsWithTopic.contains(route.pool())) {
                MeshTopics.create(settings.kafka(), MeshTopic.assignmentLanes(route.pool()));
                poolsWithTopic.add(route.pool());
            }
            Assignment assignment = messages.assignment(decisionId, job, pending.view().urgency(), route, signalFor(route.pool()),
                    fleet.sharedEnergy(now, settings.unknownGramsPerKwh()), now, Duration.between(pending.read(), now));
            Decision decision = messages.assigned(decisionId, job, now, route, carbonBlind);
            decisions.add(1, Attributes.of(KIND, "assign", POOL, route.pool()));
            List<Future<RecordMetadata>> sent = new ArrayList<>(List.of(
                    send(MeshTopic.assignments(route.pool(), assignment.getJob().getPriority()).name(), null, job.getJobId(), assignment.toByteArray(), pending.sentIn().with(span)),
                    send(MeshTopic.DECISIONS.name(), null, job.getJobId(), decision.toByteArray(), pending.sentIn().with(span))));
            retireDeferral(pending).ifPresent(sent::add);
            return sent;
        } finally {
            span.end();
        }
    }

    /** The grid signal in force for a pool's region, as this pass routed by it: what the worker accounts the job's gCO2e with. */
    private Optional<GridSignal> signalFor(String pool) {
        return fleetView.pools().stream().filter(p -> p.pool().equals(pool)).findFirst()
                .map(p -> fleetView.grid().get(p.region()));
    }

    /** Onto the deferred topic, on its job's partition number, with the trace the job came in. */
    private List<Future<RecordMetadata>> defer(PendingJob pending, Route route, Instant now, Optional<Option> carbonBlind) {
        Job job = pending.job();
        String decisionId = UUID.randomUUID().toString();
        Span span = span(pending, "defer", route).setAttribute("un0.pool", route.pool())
                .setAttribute("un0.route.hold_until", route.start().toString()).startSpan();
        try {
            Deferral deferral = messages.deferral(decisionId, job, route);
            Decision decision = messages.deferred(decisionId, job, now, route, carbonBlind);
            decisions.add(1, Attributes.of(KIND, "defer"));
            return List.of(send(MeshTopic.DEFERRED.name(), pending.partition().partition(), job.getJobId(), deferral.toByteArray(), pending.sentIn()),
                    send(MeshTopic.DECISIONS.name(), null, job.getJobId(), decision.toByteArray(), pending.sentIn().with(span)));
        } finally {
            span.end();
        }
    }

    private List<Future<RecordMetadata>> shed(PendingJob pending, FleetView view) {
        Instant now = view.at();
        Job job = pending.job();
        decidedFinally(job);
        String error = shedReason(pending, view);
        LOG.log(System.Logger.Level.INFO, error);
        Span span = span(pending, "shed", null).startSpan();
        try {
            span.setStatus(StatusCode.ERROR, error);
            Decision decision = messages.shed(UUID.randomUUID().toString(), job, now, error);
            // Live pools that the job's own terms all rule out will not take it on a retry either.
            boolean unsatisfiable = !view.pools().isEmpty()
                    && view.pools().stream().allMatch(p -> PoolRefusals.ruledOutByTheJob(pending.view(), p, now));
            FailureKind why = unsatisfiable ? FailureKind.FAILURE_KIND_UNSATISFIABLE : FailureKind.FAILURE_KIND_NO_CAPACITY;
            JobResult result = JobResults.failed(job, why, error);
            decisions.add(1, Attributes.of(KIND, "shed", REASON, ProtoVocabulary.label(why)));
            List<Future<RecordMetadata>> sent = new ArrayList<>(List.of(
                    send(MeshTopic.DECISIONS.name(), null, job.getJobId(), decision.toByteArray(), pending.sentIn().with(span)),
                    send(MeshTopic.RESULTS.name(), null, JobResults.key(result), result.toByteArray(), pending.sentIn().with(span)),
                    account(result, pending.sentIn().with(span))));
            retireDeferral(pending).ifPresent(sent::add);
            return sent;
        } finally {
            span.end();
        }
    }

    /** Drops a job of a cancelled batch unrun: recorded as a decision, answered as CANCELLED, retired from the deferred topic. */
    private List<Future<RecordMetadata>> cancel(PendingJob pending) {
        Job job = pending.job();
        decidedFinally(job);
        String reason = "batch " + job.getBatchId() + " was cancelled by its tenant before job " + job.getJobId() + " ran";
        Span span = span(pending, "cancel", null).startSpan();
        try {
            decisions.add(1, Attributes.of(KIND, "cancel"));
            JobResult result = JobResults.failed(job, FailureKind.FAILURE_KIND_CANCELLED, reason);
            List<Future<RecordMetadata>> sent = new ArrayList<>(List.of(
                    send(MeshTopic.DECISIONS.name(), null, job.getJobId(), messages.cancelled(UUID.randomUUID().toString(), job,
                            fleetView.at(), reason).toByteArray(), pending.sentIn().with(span)),
                    send(MeshTopic.RESULTS.name(), null, JobResults.key(result), result.toByteArray(), pending.sentIn().with(span)),
                    account(result, pending.sentIn().with(span))));
            retireDeferral(pending).ifPresent(sent::add);
            return sent;
        } finally {
            span.end();
        }
    }

    /** Assigned, shed or cancelled: a batch job's copy that comes later is passed over. */
    private void decidedFinally(Job job) {
        if (!job.getBatchId().isEmpty()) {
            decidedBatchJobs.decided(job.getJobId());
        }
    }

    /** A failure the scheduler answers is accounted too, so that a report counts the jobs that got no image. */
    private Future<RecordMetadata> account(JobResult result, Context context) {
        return send(MeshTopic.ACCOUNTING.name(), null, JobResults.key(result), JobResults.account(result).toByteArray(), context);
    }

    /** A tombstone for a job the deferred topic holds, now that it is assigned, shed or cancelled. */
    private Optional<Future<RecordMetadata>> retireDeferral(PendingJob pending) {
        return pending.deferred()
                ? Optional.of(send(MeshTopic.DEFERRED.name(), pending.partition().partition(), pending.jobId(), null, pending.sentIn()))
                : Optional.empty();
    }

    /** What the job asked for against what each live pool lacked, so that the caller can tell what to change. */
    private String shedReason(PendingJob pending, FleetView view) {
        JobView job = pending.view();
        boolean interactive = job.urgency() == Urgency.INTERACTIVE;
        String limit = interactive ? "interactive, so not held"
                : pending.job().hasDeadline() ? "deadline " + pending.giveUpAt() + "; held " + Duration.between(pending.read(), view.at()).toMillis() + " ms"
                : "no deadline, so at most " + settings.maxHold().toMillis() + " ms; held " + Duration.between(pending.read(), view.at()).toMillis() + " ms";
        return "no live pool with room could take job " + pending.jobId() + (interactive ? " now" : " before its deadline") + " (" + limit
                + "; it asks for " + job.images() + (job.images() == 1 ? " image" : " images") + " at " + steps(job)
                + ", precisions " + (job.allowedPrecisions().isEmpty() ? "any" : Precisions.named(job.allowedPrecisions())) + ", regions " + anyIfEmpty(job.allowedRegions()) + "; "
                + PoolVerdicts.of(job, view) + ")";
    }

    private static String steps(JobView job) {
        String steps = job.steps() + (job.steps() == 1 ? " step" : " steps");
        return job.minSteps() == job.steps() ? steps : steps + " (at least " + job.minSteps() + ")";
    }

    private static String anyIfEmpty(Set<String> values) {
        return values.isEmpty() ? "any" : String.join("/", new TreeSet<>(values));
    }

    /**
     * Starts when the job was read, so a held job's span shows how long it waited.
     *
     * @param route the decision's route; none when shed
     */
    private SpanBuilder span(PendingJob pending, String kind, Route route) {
        SpanBuilder span = tracer.spanBuilder("un0.scheduler.route").setParent(pending.sentIn())
                .setSpanKind(SpanKind.CONSUMER).setStartTimestamp(pending.read()).setAttribute("un0.job_id", pending.jobId())
                .setAttribute("un0.policy", settings.policy()).setAttribute("un0.route.kind", kind);
        if (route != null) {
            span.setAttribute("un0.route.reason", route.reason());
            if (Double.isFinite(route.expected().expectedGrams())) {
                span.setAttribute("un0.route.expected_gco2e", route.expected().expectedGrams());
            }
        }
        return span;
    }

    /** @param partition where it must go; null: by its key */
    private Future<RecordMetadata> send(String topic, Integer partition, String key, byte[] value, Context context) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partition, key, value);
        TraceHeaders.inject(otel, context, record.headers());
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

    /**
     * Asynchronously: the outputs are acknowledged already, so waiting for the commit as well would only keep the loop
     * from the next jobs (a round trip per pass, the larger part of the job topic's delay at 50 jobs a second). A
     * commit that fails, or is lost in a crash, redelivers routed jobs, as a crash before it always could: they are
     * routed again and their callers keep the first result. Closing the consumer waits for it.
     */
    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> due = commits.due(held.lowestOffsets());
        if (!due.isEmpty()) {
            jobs.commitAsync(due, (offsets, e) -> {
                if (e == null) {
                    commits.committed(offsets);
                } else {
                    LOG.log(System.Logger.Level.WARNING, "job offsets not committed ({0}); committed with the next pass, or redelivered", e.getMessage());
                }
            });
        }
    }

    /**
     * Held jobs of partitions that moved to another scheduler are dropped here: uncommitted or on the deferred topic,
     * they reach the new owner. Partitions that came to this one bring their deferred jobs, read before any is routed.
     */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Called within poll, when the last pass's outputs are acknowledged: what it routed is committed now, before
            // the new owner reads from the committed offsets, or it would route those jobs a second time.
            Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>(commits.due(held.lowestOffsets()));
            due.keySet().retainAll(partitions);
            if (!due.isEmpty()) {
                try {
                    jobs.commitSync(due, REVOKE_COMMIT_TIMEOUT);
                } catch (KafkaException e) {
                    LOG.log(System.Logger.Level.WARNING, "job offsets of revoked partitions not committed ({0}): their new owner routes those jobs again",
                            e.getMessage());
                }
            }
            held.revoke(partitions);
            commits.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // A new partition's records arrive from its committed offset, held ones included; deferred ones are on their
            // topic. Interactive jobs are never held nor deferred.
            held.restore(partitions.stream().filter(p -> p.topic().equals(MeshTopic.JOBS.name())).toList());
        }
    }
}
