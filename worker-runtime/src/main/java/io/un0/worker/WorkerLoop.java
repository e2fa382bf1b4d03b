package io.un0.worker;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.un0.energy.BoundaryLedger;
import io.un0.energy.PowerMeter;
import io.un0.energy.ProcessEnergyReporter;
import io.un0.engine.GeneratedImage;
import io.un0.engine.InvalidRequestException;
import io.un0.engine.Un0Engine;
import io.un0.image.Png;
import io.un0.kafka.AheadPoll;
import io.un0.kafka.DeadLetters;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.kafka.TraceHeaders;
import io.un0.proto.JobResults;
import io.un0.proto.MeshTopic;
import io.un0.proto.ProtoTime;
import io.un0.proto.ProtoVocabulary;
import io.un0.proto.mesh.v1.Assignment;
import io.un0.proto.mesh.v1.Heartbeat;
import io.un0.proto.mesh.v1.SharedEnergy;
import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.Boundary;
import io.un0.proto.v1.Carbon;
import io.un0.proto.v1.DeviceClass;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.FailureKind;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import io.un0.proto.v1.Precision;
import io.un0.proto.v1.Priority;
import io.un0.proto.v1.Timings;
import io.un0.vocabulary.GridIntensity;
import io.un0.vocabulary.Sci;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A worker's main loop: take the pool's assignments, batch them, run the engine, write one result per job, then
 * commit. Offsets are committed only after every result and dead letter of the batch is acknowledged by the
 * broker, so a crash anywhere before the commit lands redelivers the batch to another worker of the pool (at-least-once);
 * results are deterministic for a job (seeded), so a redelivered job's result equals the first and consumers keep
 * the first by job id. The acknowledgements are awaited after the next batch's engine runs (or when no next batch
 * comes), not before it: waiting for the broker's round trip after every batch idled the engine for it.
 */
public final class WorkerLoop implements Runnable, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WorkerLoop.class.getName());

    private final WorkerSettings settings;
    private final Map<Precision, Un0Engine> engines;
    private final PowerMeter meter;
    private final VariantCosts costs = new VariantCosts();
    /** The heartbeat thread's last meter reading, for the power it reports. */
    private PowerMeter.Sample lastBeat;
    /** Whether the last heartbeat sent failed; the producer's I/O thread writes it. */
    private volatile boolean heartbeatsFailing;
    private final GridIntensity grid;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final DeadLetters deadLetters;
    private final OpenTelemetry otel;
    private final Tracer tracer;
    private final WorkerMeters meters;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Images of the batch in hand, as heartbeats report it against the capacity in images. */
    private volatile int queueDepth;
    /** The evaluations (images x steps) those images still need. */
    private volatile double queuedEvals;
    /** What the results written so far carried, for this process's energy reports. */
    private final AtomicLong imagesServed = new AtomicLong();
    private final DoubleAdder joulesServed = new DoubleAdder();
    /** The pool's queued lane (batch and deferrable work): paused while the interactive lane is read. */
    private final String queuedLane;
    /** Whether the last batch held queued work: a backlog may stand behind it. Loop thread only. */
    private boolean queuedInHand;
    /** The last batch's writes, whose offsets are committed once the broker has acknowledged them. Loop thread only. */
    private Unsettled unsettled = Unsettled.NONE;

    /** @param otel where spans and metrics go; {@code OpenTelemetry.noop()} for none */
    public WorkerLoop(WorkerSettings settings, Map<Precision, Un0Engine> engines, PowerMeter meter, GridIntensity grid,
                      OpenTelemetry otel) {
        this.grid = grid;
        this.settings = settings;
        this.engines = Map.copyOf(engines);
        this.meter = meter;
        this.otel = otel;
        this.tracer = otel.getTracer("io.un0.worker");
        this.consumer = MeshClients.groupMember(settings.kafka(), settings.consumerGroup(), settings.worker(),
                settings.maxBatchImages());
        this.producer = MeshClients.producer(settings.kafka(), settings.worker() + "-out", Duration.ofSeconds(30));
        this.deadLetters = new DeadLetters(producer, "worker " + settings.worker());
        this.queuedLane = MeshTopic.assignments(settings.pool()).name();
        this.meters = new WorkerMeters(otel.getMeter("io.un0.worker"), settings.pool(), settings.worker(), meter, () -> queueDepth);
    }

    @Override
    public void run() {
        List<MeshTopic> topics = new ArrayList<>(List.of(MeshTopic.RESULTS, MeshTopic.ACCOUNTING, MeshTopic.HEARTBEATS, MeshTopic.DEAD_LETTERS));
        topics.addAll(MeshTopic.assignmentLanes(settings.pool()));
        MeshTopics.create(settings.kafka(), topics);
        consumer.subscribe(MeshTopic.assignmentLanes(settings.pool()).stream().map(MeshTopic::name).toList());
        // Heartbeats on their own thread, so that a long batch neither delays them (the scheduler would think the
        // worker dead) nor hides its queue depth.
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, settings.worker() + "-heartbeat"));
        long every = settings.heartbeatEvery().toMillis();
        heartbeats.scheduleAtFixedRate(this::heartbeat, 0, every, TimeUnit.MILLISECONDS);
        try {
            while (running.get()) {
                List<ConsumerRecord<String, byte[]>> batch = collect();
                if (batch.isEmpty()) {
                    settle();
                } else {
                    process(batch);
                }
            }
            settle();
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
            settle();
        } finally {
            heartbeats.shutdownNow();
            consumer.close();
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** The next batch, remembering whether it holds queued work. */
    private List<ConsumerRecord<String, byte[]>> collect() {
        List<ConsumerRecord<String, byte[]>> batch = gather();
        queuedInHand = batch.stream().anyMatch(r -> r.topic().equals(queuedLane));
        return batch;
    }

    /**
     * After a batch that held queued work, the interactive lane first: whatever it holds is taken alone, ahead of the
     * backlog, so that a caller waits at most for the engine run in hand. (With no queued work in hand both lanes are
     * polled at once: an interactive job comes with the first poll, and pausing a lane every time costs the broker
     * fetch requests.) Else polls both lanes until the batch is full or the first record has waited {@code maxWait};
     * not at all when an interactive job is in hand: its caller waits for every millisecond, and what a busy pool has
     * queued came with the first poll.
     */
    private List<ConsumerRecord<String, byte[]>> gather() {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        if (queuedInHand) {
            batch.addAll(AheadPoll.of(consumer, queuedLane));
            if (!batch.isEmpty()) {
                return batch;
            }
        }
        consumer.poll(Duration.ofMillis(200)).forEach(batch::add);
        // A full first poll waits for nothing: its records are not parsed here a second time.
        if (batch.isEmpty() || batch.size() >= settings.maxBatchImages() || batch.stream().anyMatch(WorkerLoop::interactive)) {
            return batch;
        }
        long until = System.nanoTime() + settings.maxWait().toNanos();
        while (batch.size() < settings.maxBatchImages() && System.nanoTime() < until) {
            consumer.poll(Duration.ofMillis(Math.max(1, (until - System.nanoTime()) / 1_000_000))).forEach(batch::add);
        }
        return batch;
    }

    /** An unreadable record is not interactive here: {@link #process} dead-letters it. */
    private static boolean interactive(ConsumerRecord<String, byte[]> r) {
        try {
            return r.value() != null && Assignment.parseFrom(r.value()).getJob().getPriority() == Priority.PRIORITY_INTERACTIVE;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    private void process(List<ConsumerRecord<String, byte[]>> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        List<Assignment> valid = new ArrayList<>();
        Map<String, Context> sentIn = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            try {
                Assignment a = Assignment.parseFrom(r.value() == null ? new byte[0] : r.value());
                String problem = problem(a);
                if (problem != null) {
                    sent.add(deadLetters.send(r, problem));
                    if (a.hasJob() && !a.getJob().getJobId().isBlank()) {
                        // The caller learns at once why, instead of waiting for its deadline.
                        sent.addAll(send(JobResults.failed(a.getJob(), FailureKind.FAILURE_KIND_REJECTED, problem), Span.fromContext(TraceHeaders.extract(otel, r.headers()))));
                    }
                } else {
                    valid.add(a);
                    sentIn.put(a.getJob().getJobId(), TraceHeaders.extract(otel, r.headers()));
                }
            } catch (InvalidProtocolBufferException e) {
                sent.add(deadLetters.send(r, "not an un0.mesh.v1.Assignment: " + e.getMessage()));
            }
        }
        queueDepth = valid.stream().mapToInt(a -> a.getJob().getCount()).sum();
        queuedEvals = valid.stream().mapToDouble(a -> (double) a.getJob().getCount() * a.getSteps()).sum();
        for (EngineRun run : EngineRun.plan(valid, settings.maxBatchImages())) {
            sent.addAll(execute(run, sentIn));
            queueDepth -= run.images();
            queuedEvals -= (double) run.images() * run.steps();
        }
        // The batch before this one: its acknowledgements came while this one's engine ran.
        settle();
        unsettled = new Unsettled(sent, offsets);
        queueDepth = 0;
        queuedEvals = 0;
        // Say at once that the worker is free: the scheduler may be holding queued jobs until it hears so. Not after a
        // batch of interactive jobs alone: those are never held for room, and at low load the extra record cost the
        // broker and every heartbeat reader CPU just as the job's result was on its way.
        if (queuedInHand) {
            heartbeat();
        }
    }

    /** What a batch wrote and the offsets that its acknowledgement lets the worker commit. */
    private record Unsettled(List<Future<RecordMetadata>> sent, Map<TopicPartition, OffsetAndMetadata> offsets) {
        static final Unsettled NONE = new Unsettled(List.of(), Map.of());
    }

    /**
     * Waits until the broker has acknowledged the last batch's writes, then commits its offsets. Should a write fail,
     * nothing is committed: that batch and the one after it come back, and their results already written are
     * repeated, not lost.
     */
    private void settle() {
        Unsettled last = unsettled;
        unsettled = Unsettled.NONE;
        if (last.offsets().isEmpty()) {
            return;
        }
        for (Future<RecordMetadata> f : last.sent()) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted before the results were acknowledged; nothing committed", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a result was not acknowledged; nothing committed: " + e.getCause().getMessage(), e);
            }
        }
        // Asynchronously: waiting for the commit too would idle the engine for a round trip. A commit lost in a
        // rebalance or a crash redelivers the batch, as a crash before it always could (at least once; callers keep
        // the first result of a job). Closing the consumer waits for it.
        consumer.commitAsync(last.offsets(), (committed, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.WARNING, "worker " + settings.worker() + ": offsets not committed (" + e.getMessage()
                        + "); the next commit covers them, or the batch is redelivered");
            }
        });
    }

    /** Why an assignment that parsed cannot be served, naming the field; null when it can. */
    private String problem(Assignment a) {
        if (!a.hasJob() || a.getJob().getJobId().isBlank()) {
            return "job.job_id: missing";
        }
        Un0Engine engine = engines.get(a.getPrecision());
        if (engine == null) {
            return "precision: " + a.getPrecision() + " is not served by worker " + settings.worker() + " (serves " + engines.keySet() + ")";
        }
        // uint32 fields arrive as Java ints: 2^31 and above are negative here, so they are compared unsigned.
        long count = Integer.toUnsignedLong(a.getJob().getCount());
        int maxCount = engine.manifest().maxBatch();
        if (count < 1 || count > maxCount) {
            return "job.count: " + count + " is outside 1.." + maxCount;
        }
        if (!engine.manifest().supportedSteps().contains(a.getSteps())) {
            return "steps: " + Integer.toUnsignedString(a.getSteps()) + " is not one of " + engine.manifest().supportedSteps();
        }
        long classId = Integer.toUnsignedLong(a.getJob().getClassId());
        if (classId >= engine.manifest().classNames().size()) {
            return "job.class_id: " + classId + " is outside 0.." + (engine.manifest().classNames().size() - 1);
        }
        return null;
    }

    /** One span per job, a child of the scheduler's assignment, so the result carries the request's trace on. */
    private List<Future<RecordMetadata>> execute(EngineRun run, Map<String, Context> sentIn) {
        List<Span> spans = run.assignments().stream().map(a -> tracer.spanBuilder("un0.worker.generate")
                .setParent(sentIn.getOrDefault(a.getJob().getJobId(), Context.root()))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("un0.job_id", a.getJob().getJobId())
                .setAttribute("un0.pool", settings.pool())
                .setAttribute("un0.worker", settings.worker())
                .setAttribute("un0.batch.images", run.images())
                .setAttribute("un0.steps", run.steps())
                .startSpan()).toList();
        try {
            return execute(run, spans);
        } finally {
            spans.forEach(Span::end);
        }
    }

    private List<Future<RecordMetadata>> execute(EngineRun run, List<Span> spans) {
        Un0Engine engine = engines.get(run.precision());
        int[] labels = new int[run.images()];
        long[] seeds = new long[run.images()];
        int i = 0;
        for (Assignment a : run.assignments()) {
            for (int k = 0; k < a.getJob().getCount(); k++, i++) {
                labels[i] = a.getJob().getClassId();
                seeds[i] = a.getJob().getSeed() + k;
            }
        }
        Instant started = Instant.now();
        PowerMeter.Sample before = meter.sample();
        List<GeneratedImage> images;
        try {
            images = engine.generate(labels, seeds, run.steps());
        } catch (InvalidRequestException e) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            if (run.assignments().size() > 1) {
                // A job the checks let through must not fail its batch-mates: each runs alone, and only it fails.
                for (int j = 0; j < run.assignments().size(); j++) {
                    sent.addAll(execute(new EngineRun(run.precision(), run.steps(), List.of(run.assignments().get(j))), List.of(spans.get(j))));
                }
                return sent;
            }
            spans.get(0).setStatus(StatusCode.ERROR, e.getMessage());
            sent.addAll(send(JobResults.failed(run.assignments().get(0).getJob(), FailureKind.FAILURE_KIND_REJECTED, e.getMessage()), spans.get(0)));
            return sent;
        }
        PowerMeter.Sample after = meter.sample();
        double seconds = (after.wallNanos() - before.wallNanos()) / 1e9;
        meters.engineRun(run.images(), seconds);
        double joules = meter.joules(before, after);
        costs.record(run.precision(), run.steps(), run.images(), seconds, joules);
        List<Integer> counts = run.assignments().stream().map(a -> a.getJob().getCount()).toList();
        List<Integer> steps = java.util.Collections.nCopies(counts.size(), run.steps());
        double[] jobJoules = WorkShare.split(joules, counts, steps);
        double[] jobSeconds = WorkShare.split(seconds, counts, steps);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        int from = 0;
        for (int j = 0; j < run.assignments().size(); j++) {
            Assignment a = run.assignments().get(j);
            Accounting accounting = accounting(engine, a, jobJoules[j], jobSeconds[j], started);
            JobResult.Builder result = JobResults.answering(a.getJob()).setStatus(JobStatus.JOB_STATUS_SUCCEEDED).setAccounting(accounting);
            for (int k = 0; k < a.getJob().getCount(); k++) {
                GeneratedImage image = images.get(from + k);
                result.addPng(ByteString.copyFrom(Png.encode(image))).addSeeds(image.seed());
            }
            from += a.getJob().getCount();
            sent.addAll(send(result.build(), spans.get(j)));
            meters.result(a.getJob(), accounting);
            imagesServed.addAndGet(a.getJob().getCount());
            joulesServed.add(jobJoules[j]);
        }
        return sent;
    }

    private Accounting accounting(Un0Engine engine, Assignment a, double joules, double seconds, Instant started) {
        Carbon carbon = carbon(a, joules);
        Accounting.Builder accounting = Accounting.newBuilder().setPool(settings.pool()).setWorker(settings.worker())
                .setDeviceClass(deviceClass(engine))
                .setExecutionProvider(engine.provider().name()).setModel(engine.manifest().name())
                .setPrecision(a.getPrecision()).setSteps(a.getSteps())
                .setEnergy(Energy.newBuilder().setJoules(joules).setSource(meter.source()).setModel(meter.describe()))
                .setCarbon(carbon)
                .setTimings(timings(a, seconds, started));
        if (a.hasShared()) {
            accounting.setBoundary(boundary(a.getShared(), a.getJob().getCount(), joules, carbon.getGramsCo2E()));
        }
        return accounting.build();
    }

    /** The job's own figures plus its images' share of what the mesh's processes drew beyond the engine runs. */
    private Boundary boundary(SharedEnergy shared, int images, double joules, double grams) {
        return Boundary.newBuilder()
                .setEnergy(Energy.newBuilder().setJoules(joules + shared.getJoulesPerImage() * images)
                        .setSource(BoundaryLedger.weaker(meter.source(), shared.getSource()))
                        .setModel("this job on worker " + settings.worker() + ": " + meter.describe() + "; shared by the mesh's processes: " + shared.getModel()))
                .setGramsCo2E(grams + shared.getGramsPerImage() * images)
                .addAllProcesses(shared.getProcessesList()).setWindow(shared.getWindow()).build();
    }

    /** Images written in results since start, and the joules those results carried: for this process's energy reports. */
    public ProcessEnergyReporter.Served served() {
        return new ProcessEnergyReporter.Served(imagesServed.get(), joulesServed.sum());
    }

    /** Where the scheduler says when it took the job up and decided, the time before inference is split at that point. */
    private static Timings timings(Assignment a, double inferenceSeconds, Instant started) {
        Timings.Builder t = Timings.newBuilder().setInference(ProtoTime.seconds(inferenceSeconds));
        if (a.hasDecided() && a.getJob().hasAccepted()) {
            Instant takenUp = ProtoTime.instant(a.getDecided()).minus(ProtoTime.duration(a.getHeld()));
            t.setScheduling(ProtoTime.duration(nonNegative(Duration.between(ProtoTime.instant(a.getJob().getAccepted()), takenUp))))
                    .setQueued(ProtoTime.duration(nonNegative(Duration.between(takenUp, started))));
        }
        return t.build();
    }

    /** Clocks of different machines may disagree by a little: never a negative time. */
    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** By the grid signal the scheduler routed the job by, where it sent one; else by this worker's declared intensity. */
    private Carbon carbon(Assignment a, double joules) {
        if (a.hasGrid()) {
            return a.getGrid().toBuilder().setGramsCo2E(Sci.operationalGrams(joules, a.getGrid().getIntensityGPerKwh())).build();
        }
        return Carbon.newBuilder().setGramsCo2E(grid.grams(joules)).setIntensityGPerKwh(grid.gramsPerKwh())
                .setRegion(settings.region()).setSignalSource(grid.source()).build();
    }

    private static DeviceClass deviceClass(Un0Engine engine) {
        return ProtoVocabulary.toProto(engine.provider().deviceClass());
    }

    /** The result for its caller, and its account (the result without the images) for the sustainability reports. */
    private List<Future<RecordMetadata>> send(JobResult result, Span span) {
        return List.of(send(MeshTopic.RESULTS, result, span), send(MeshTopic.ACCOUNTING, JobResults.account(result), span));
    }

    private Future<RecordMetadata> send(MeshTopic topic, JobResult result, Span span) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.name(), JobResults.key(result), result.toByteArray());
        TraceHeaders.inject(otel, Context.root().with(span), record.headers());
        return producer.send(record);
    }

    /** From the heartbeat thread and, after a batch that held queued work, from the loop: one at a time, for the power reading. */
    private synchronized void heartbeat() {
        Un0Engine any = engines.values().iterator().next();
        PowerMeter.Sample now = meter.sample();
        double watts = lastBeat == null || now.wallNanos() == lastBeat.wallNanos() ? 0
                : meter.joules(lastBeat, now) / ((now.wallNanos() - lastBeat.wallNanos()) / 1e9);
        lastBeat = now;
        Heartbeat.Builder h = Heartbeat.newBuilder().setWorker(settings.worker()).setPool(settings.pool()).setSite(settings.site())
                .setRegion(settings.region()).setExecutionProvider(any.provider().name())
                .setDeviceClass(deviceClass(any))
                .setCapacity(settings.offeredCapacity(costs.fastestSecondsPerImage())).setQueueDepth(queueDepth).setQueuedEvaluations(queuedEvals).setSent(ProtoTime.now())
                .setPowerWatts(watts).setPowerSource(meter.source()).addAllCosts(costs.snapshot(meter.source(), meter.describe()));
        engines.keySet().stream().sorted().forEach(h::addPrecisions);
        try {
            producer.send(new ProducerRecord<>(MeshTopic.HEARTBEATS.name(), settings.worker(), h.build().toByteArray()), this::heartbeatSent);
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log and try at the next beat.
            LOG.log(System.Logger.Level.WARNING, "heartbeat of " + settings.worker() + " not sent", e);
        }
    }

    /**
     * Says when heartbeats stop reaching the broker and when they reach it again, once each: without them the
     * schedulers think this worker gone and hold its pool's jobs, which nothing else would show.
     */
    private void heartbeatSent(RecordMetadata sent, Exception failure) {
        if (failure != null && !heartbeatsFailing) {
            LOG.log(System.Logger.Level.WARNING, "heartbeats of " + settings.worker() + " are not delivered", failure);
        } else if (failure == null && heartbeatsFailing) {
            LOG.log(System.Logger.Level.INFO, "heartbeats of {0} are delivered again", settings.worker());
        }
        heartbeatsFailing = failure != null;
    }

    /** Stops after the batch in hand; what it has not committed is redelivered. */
    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
