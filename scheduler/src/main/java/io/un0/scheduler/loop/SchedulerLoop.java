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
import io.un0.kafka.TransactionalProducer;
import io.un0.proto.JobResults;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.mesh.v1.Deferral;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.mesh.v1.Lease;
import io.un0.proto.v1.Decision;
import io.un0.proto.v1.FailureKind;
import io.un0.proto.v1.JobResult;
import io.un0.routing.CapacityHistory;
import io.un0.routing.CarbonBlindBaseline;
import io.un0.routing.DeferrableArrivals;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * <p>Exactly once: each pass is one Kafka transaction, its outputs (assignments, decisions, answers, held jobs) and
 * the offsets of the jobs it read committed together or not at all, so a scheduler that dies mid-pass leaves nothing
 * its successor repeats or misses. A job held past its pass (for room, or deferred to a greener hour) goes to the
 * deferred topic in that pass, so no held job holds a partition's offset back; a tombstone retires it when it is
 * assigned, shed or cancelled. A pass whose transaction fails is aborted and read again from the last commit.
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
    /**
     * How long a pass's transaction may stay open before the broker aborts it. Readers of the lanes it wrote to wait
     * behind an open transaction, so a scheduler that dies mid-pass holds them up this long at most (its restart, under
     * the same instance name, aborts it at once): as long as the group takes to hand its partitions on.
     */
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);
    /** One scheduler writes the gateways' leases: the one reading this partition (there is always one while any runs). */
    private static final TopicPartition LEASE_WRITER = new TopicPartition(MeshTopic.INTERACTIVE_JOBS.name(), 0);

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
    /** What a pass writes, jobs it cannot read dead-lettered too. */
    private final TransactionalProducer producer;
    /** Not transactional: dead letters of the fleet's and the deferred topic's readers, written outside any pass. */
    private final KafkaProducer<String, byte[]> readersProducer;
    /** Heartbeats and grid signals, on their own thread. */
    private final FleetReader fleet;
    private final HeldJobs held;
    private final CommitPoints commits = new CommitPoints();
    /** Interactive work sent to each pool hour by hour: what the plan keeps free in the same hour a day later. */
    private final InteractiveHistory interactive;
    /** What each pool could run, as seen pass by pass: the plan counts on it the same hour a day later. */
    private final CapacityHistory capacity = new CapacityHistory();
    /** Deferrable work as it arrives: the rate the plan prices its hours with. */
    private final DeferrableArrivals deferrable;
    /** Gateways' leases of the interactive route, written by the scheduler that reads the interactive topic's first partition. */
    private final InteractiveLeases leases;
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
        this.deferrable = new DeferrableArrivals(clock.instant());
        this.policy = policy;
        this.budgets = budgets;
        this.otel = otel;
        this.tracer = otel.getTracer("io.un0.scheduler");
        this.messages = new RouteMessages(settings.policy(), settings.instance());
        this.leases = new InteractiveLeases(policy, messages, settings.unknownGramsPerKwh());
        this.jobs = MeshClients.groupMember(settings.kafka(), MeshTopic.SCHEDULER_GROUP, settings.instance() + "-jobs", JOBS_PER_POLL);
        this.producer = new TransactionalProducer(settings.kafka(), settings.instance() + "-out", MeshTopic.SCHEDULER_TRANSACTIONS + settings.instance(),
                Duration.ofSeconds(30), TRANSACTION_TIMEOUT);
        this.readersProducer = MeshClients.producer(settings.kafka(), settings.instance() + "-readers-out", Duration.ofSeconds(30));
        DeadLetters readersDeadLetters = new DeadLetters(readersProducer, "scheduler " + settings.instance());
        this.fleet = new FleetReader(settings, readersDeadLetters, running::get, this::fail);
        this.held = new HeldJobs(settings, otel, readersDeadLetters, clock);
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
                    boolean retrying = !now.isBefore(nextRetry);
                    if (pass(records, retrying) && retrying) {
                        nextRetry = now.plus(settings.retryEvery());
                    }
                }
            }, this::fail);
        } finally {
            routing = false;
            running.set(false);
            fleet.stop();
            jobs.close();
            held.close();
            producer.close();
            readersProducer.close(Duration.ofSeconds(5));
            gauges.forEach(ObservableLongGauge::close);
            fleetMeters.close();
        }
    }

    /**
     * One transaction: cancelled batches' held jobs dropped, held jobs due offered again (when {@code retrying}), the
     * records read taken, their offsets committed with all that was written.
     *
     * @return whether it was committed; else it was aborted, and its jobs are read again as last committed
     */
    private boolean pass(List<ConsumerRecord<String, byte[]>> records, boolean retrying) {
        producer.begin();
        try {
            BatchCancellations cancellations = fleet.cancellations();
            if (!cancellations.isEmpty()) {
                held.drop(cancellations::cancelled).forEach(this::cancel);
            }
            if (retrying) {
                held.due(fleetView.at()).forEach(this::decide);
            }
            for (ConsumerRecord<String, byte[]> r : records) {
                take(r);
                commits.taken(new TopicPartition(r.topic(), r.partition()), r.offset());
            }
            fleet.drainLeased().forEach(w -> interactive.record(w.pool(), w.decided(), w.evals()));
            if (leases.due(fleetView.at()) && jobs.assignment().contains(LEASE_WRITER)) {
                lease();
            }
            Map<TopicPartition, OffsetAndMetadata> due = commits.due();
            producer.commit(due, jobs.groupMetadata());
            commits.committed(due);
            return true;
        } catch (KafkaException e) {
            abandon(e);
            return false;
        }
    }

    /**
     * Abandons the pass and goes back to what was last committed: the jobs' offsets, and the held jobs as the deferred
     * topic has them. What the pass counted against pools stays counted until their next heartbeat, a little room
     * withheld for a moment.
     */
    private void abandon(KafkaException why) {
        LOG.log(System.Logger.Level.WARNING, "scheduler {0}: a pass was not committed ({1}); aborted, its jobs are read again",
                settings.instance(), why.toString());
        producer.abandon(why, running::get);
        Set<TopicPartition> mine = jobs.assignment();
        held.revoke(mine);
        commits.forget(mine);
        TransactionalProducer.rewind(jobs);
        held.restore(mine.stream().filter(p -> p.topic().equals(MeshTopic.JOBS.name())).toList());
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
        return view.withPlan(DeferralPlans.of(view, held.all(), PLAN_HOURS, interactive, capacity, deferrable.perHour(now)));
    }

    /** Stops after the pass in hand; held jobs are on the deferred topic, so the next scheduler gets them again. */
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
    private void take(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            deadLetters().send(r, "not an un0.mesh.v1.Job: the record has no value");
            return;
        }
        Job job;
        JobView view;
        try {
            job = Job.parseFrom(r.value());
            view = JobViews.of(job);
        } catch (InvalidProtocolBufferException e) {
            deadLetters().send(r, "not an un0.mesh.v1.Job: " + e.getMessage());
            return;
        } catch (InvalidEnvelopeException e) {
            deadLetters().send(r, e.getMessage());
            return;
        }
        if (held.contains(job.getJobId())) {
            // Sent again under its id (a caller's idempotent retry) while held: held once.
            return;
        }
        Instant now = fleetView.at();
        PendingJob pending = PendingJob.read(new TopicPartition(r.topic(), r.partition()), job, view,
                TraceHeaders.extract(otel, r.headers()), now, PendingJob.giveUpAt(job, now, settings.maxHold()));
        if (fleet.cancellations().cancelled(job)) {
            cancel(pending);
        } else {
            if (view.urgency() == Urgency.DEFERRABLE) {
                deferrable.record(now, (double) view.images() * view.minSteps());
            }
            decide(pending);
        }
    }

    /**
     * Assigns the job, defers it, or sheds it when it may wait no longer (an interactive job may not wait at all);
     * else holds it, on the deferred topic from the first time.
     */
    private void decide(PendingJob job) {
        Optional<Route> route = policy.route(job.view(), fleetView);
        Instant now = fleetView.at();
        // Priced on the view the policy saw, before the job is counted against a pool.
        Optional<Option> carbonBlind = route.isPresent() ? CarbonBlindBaseline.of(job.view(), fleetView, settings.unknownGramsPerKwh()) : Optional.empty();
        if (route.isPresent() && route.get().defers(now)) {
            Route r = route.get();
            PendingJob deferred = job.deferredUntil(r.start(), r.pool(), (double) job.view().images() * r.steps());
            held.hold(deferred);
            defer(deferred, route.get(), now, carbonBlind);
            return;
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
            assign(job, r, now, carbonBlind);
            return;
        }
        if (job.view().urgency() != Urgency.INTERACTIVE && now.isBefore(job.giveUpAt())) {
            if (job.kept()) {
                held.hold(job);
            } else {
                PendingJob kept = job.deferredUntil(Instant.MIN, "", 0);
                held.hold(kept);
                keep(kept, now);
            }
            return;
        }
        shed(job, fleetView);
    }

    /** Renews every live gateway's lease of the interactive route, in the pass's transaction. */
    private void lease() {
        Instant now = fleetView.at();
        for (Lease lease : leases.renew(fleetView, fleet.processEnergy(), this::signalFor, fleet.sharedEnergy(now, settings.unknownGramsPerKwh()))) {
            lanesOf(lease.getDecision().getChosen().getPool());
            send(MeshTopic.LEASES.name(), null, lease.getGateway(), lease.toByteArray(), Context.root());
        }
    }

    /** Both lanes of a pool, made before the first record goes to either. */
    private void lanesOf(String pool) {
        if (!poolsWithTopic.contains(pool)) {
            MeshTopics.create(settings.kafka(), MeshTopic.assignmentLanes(pool));
            poolsWithTopic.add(pool);
        }
    }

    /** Onto the deferred topic, to be offered again from there after a restart or by the partition's next owner. */
    private void keep(PendingJob pending, Instant now) {
        send(MeshTopic.DEFERRED.name(), pending.partition().partition(), pending.jobId(), messages.waiting(pending.job(), now).toByteArray(),
                pending.sentIn());
    }

    private void assign(PendingJob pending, Route route, Instant now, Optional<Option> carbonBlind) {
        Job job = pending.job();
        String decisionId = UUID.randomUUID().toString();
        Span span = span(pending, "assign", route).setAttribute("un0.pool", route.pool()).startSpan();
        try {
            lanesOf(route.pool());
            Assignment assignment = messages.assignment(decisionId, job, pending.view().urgency(), route, signalFor(route.pool()),
                    fleet.sharedEnergy(now, settings.unknownGramsPerKwh()), now, Duration.between(pending.read(), now));
            Decision decision = messages.assigned(decisionId, job, pending.view().urgency(), now, route, carbonBlind);
            decisions.add(1, Attributes.of(KIND, "assign", POOL, route.pool()));
            send(MeshTopic.assignments(route.pool(), assignment.getJob().getPriority()).name(), null, job.getJobId(), assignment.toByteArray(), pending.sentIn().with(span));
            send(MeshTopic.DECISIONS.name(), null, job.getJobId(), decision.toByteArray(), pending.sentIn().with(span));
            retireDeferral(pending);
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
    private void defer(PendingJob pending, Route route, Instant now, Optional<Option> carbonBlind) {
        Job job = pending.job();
        String decisionId = UUID.randomUUID().toString();
        Span span = span(pending, "defer", route).setAttribute("un0.pool", route.pool())
                .setAttribute("un0.route.hold_until", route.start().toString()).startSpan();
        try {
            Deferral deferral = messages.deferral(decisionId, job, route);
            Decision decision = messages.deferred(decisionId, job, now, route, carbonBlind);
            decisions.add(1, Attributes.of(KIND, "defer"));
            send(MeshTopic.DEFERRED.name(), pending.partition().partition(), job.getJobId(), deferral.toByteArray(), pending.sentIn());
            send(MeshTopic.DECISIONS.name(), null, job.getJobId(), decision.toByteArray(), pending.sentIn().with(span));
        } finally {
            span.end();
        }
    }

    private void shed(PendingJob pending, FleetView view) {
        Instant now = view.at();
        Job job = pending.job();
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
            send(MeshTopic.DECISIONS.name(), null, job.getJobId(), decision.toByteArray(), pending.sentIn().with(span));
            send(MeshTopic.RESULTS.name(), null, JobResults.key(result), result.toByteArray(), pending.sentIn().with(span));
            account(result, pending.sentIn().with(span));
            retireDeferral(pending);
        } finally {
            span.end();
        }
    }

    /** Drops a job of a cancelled batch unrun: recorded as a decision, answered as CANCELLED, retired from the deferred topic. */
    private void cancel(PendingJob pending) {
        Job job = pending.job();
        String reason = "batch " + job.getBatchId() + " was cancelled by its tenant before job " + job.getJobId() + " ran";
        Span span = span(pending, "cancel", null).startSpan();
        try {
            decisions.add(1, Attributes.of(KIND, "cancel"));
            JobResult result = JobResults.failed(job, FailureKind.FAILURE_KIND_CANCELLED, reason);
            send(MeshTopic.DECISIONS.name(), null, job.getJobId(), messages.cancelled(UUID.randomUUID().toString(), job,
                    fleetView.at(), reason).toByteArray(), pending.sentIn().with(span));
            send(MeshTopic.RESULTS.name(), null, JobResults.key(result), result.toByteArray(), pending.sentIn().with(span));
            account(result, pending.sentIn().with(span));
            retireDeferral(pending);
        } finally {
            span.end();
        }
    }

    /** A failure the scheduler answers is accounted too, so that a report counts the jobs that got no image. */
    private void account(JobResult result, Context context) {
        send(MeshTopic.ACCOUNTING.name(), null, JobResults.key(result), JobResults.account(result).toByteArray(), context);
    }

    /** A tombstone for a job the deferred topic holds, now that it is assigned, shed or cancelled. */
    private void retireDeferral(PendingJob pending) {
        if (pending.kept()) {
            send(MeshTopic.DEFERRED.name(), pending.partition().partition(), pending.jobId(), null, pending.sentIn());
        }
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

    /** Within the pass's transaction. */
    private DeadLetters deadLetters() {
        return producer.deadLetters("scheduler " + settings.instance());
    }

    /** Within the pass's transaction. @param partition where it must go; null: by its key */
    private void send(String topic, Integer partition, String key, byte[] value, Context context) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partition, key, value);
        TraceHeaders.inject(otel, context, record.headers());
        producer.send(record);
    }

    /**
     * Held jobs of partitions that moved to another scheduler are dropped here: on the deferred topic, they reach the
     * new owner. Partitions that came to this one bring their held jobs, read before any is routed.
     */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Called within poll, between passes: every pass's offsets went with its transaction, so nothing is due.
            held.revoke(partitions);
            commits.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // A new partition's records arrive from its committed offset; held ones are on the deferred topic.
            // Interactive jobs are never held nor deferred.
            held.restore(partitions.stream().filter(p -> p.topic().equals(MeshTopic.JOBS.name())).toList());
        }
    }
}
