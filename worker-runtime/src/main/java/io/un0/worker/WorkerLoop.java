package io.un0.worker;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.sun.management.OperatingSystemMXBean;
import io.un0.bench.CpuEnergyModel;
import io.un0.engine.GeneratedImage;
import io.un0.engine.InvalidRequestException;
import io.un0.engine.Un0Engine;
import io.un0.image.Png;
import io.un0.proto.MeshTopic;
import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.Assignment;
import io.un0.proto.v1.DeadLetter;
import io.un0.proto.v1.DeviceClass;
import io.un0.proto.v1.Energy;
import io.un0.proto.v1.EnergySource;
import io.un0.proto.v1.Heartbeat;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import io.un0.proto.v1.Precision;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker's main loop: take the pool's assignments, batch them, run the engine, write one result per job, then
 * commit. Offsets are committed only after every result and dead letter of the batch is acknowledged by the
 * broker, so a crash anywhere before that redelivers the batch to another worker of the pool (at-least-once);
 * results are deterministic for a job (seeded), so a redelivered job's result equals the first and consumers keep
 * the first by job id.
 */
public final class WorkerLoop implements Runnable, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WorkerLoop.class.getName());

    private final WorkerSettings settings;
    private final Map<Precision, Un0Engine> engines;
    private final CpuEnergyModel energyModel;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** Images of the batch in hand, as heartbeats report it against the capacity in images. */
    private volatile int queueDepth;

    public WorkerLoop(WorkerSettings settings, Map<Precision, Un0Engine> engines, CpuEnergyModel energyModel) {
        this.settings = settings;
        this.engines = Map.copyOf(engines);
        this.energyModel = energyModel;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, settings.consumerGroup(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(settings.maxBatchImages()),
                ConsumerConfig.CLIENT_ID_CONFIG, settings.worker()),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.CLIENT_ID_CONFIG, settings.worker() + "-out"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(MeshTopic.assignments(settings.pool()).name()));
        // Heartbeats on their own thread, so that a long batch neither delays them (the scheduler would think the
        // worker dead) nor hides its queue depth.
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, settings.worker() + "-heartbeat"));
        long every = settings.heartbeatEvery().toMillis();
        heartbeats.scheduleAtFixedRate(this::heartbeat, 0, every, TimeUnit.MILLISECONDS);
        try {
            while (running.get()) {
                List<ConsumerRecord<String, byte[]>> batch = collect();
                if (!batch.isEmpty()) {
                    process(batch);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            heartbeats.shutdownNow();
            consumer.close();
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Polls until the batch is full or the first record has waited {@code maxWait}. */
    private List<ConsumerRecord<String, byte[]>> collect() {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        consumer.poll(Duration.ofMillis(200)).forEach(batch::add);
        if (batch.isEmpty()) {
            return batch;
        }
        long until = System.nanoTime() + settings.maxWait().toNanos();
        while (batch.size() < settings.maxBatchImages() && System.nanoTime() < until) {
            consumer.poll(Duration.ofMillis(Math.max(1, (until - System.nanoTime()) / 1_000_000))).forEach(batch::add);
        }
        return batch;
    }

    private void process(List<ConsumerRecord<String, byte[]>> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        List<Assignment> valid = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            try {
                Assignment a = Assignment.parseFrom(r.value() == null ? new byte[0] : r.value());
                String problem = problem(a);
                if (problem != null) {
                    sent.add(deadLetter(r, problem));
                } else {
                    valid.add(a);
                }
            } catch (InvalidProtocolBufferException e) {
                sent.add(deadLetter(r, "not an un0.v1.Assignment: " + e.getMessage()));
            }
        }
        queueDepth = valid.stream().mapToInt(a -> a.getJob().getCount()).sum();
        for (EngineRun run : EngineRun.plan(valid, settings.maxBatchImages())) {
            sent.addAll(execute(run));
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted before the results were acknowledged; nothing committed", e);
            } catch (ExecutionException e) {
                // Not committing means the whole batch comes back; the results already written are repeated, not lost.
                throw new IllegalStateException("a result was not acknowledged; nothing committed: " + e.getCause().getMessage(), e);
            }
        }
        consumer.commitSync(offsets);
        queueDepth = 0;
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
        int count = a.getJob().getCount();
        int maxCount = engine.manifest().maxBatch();
        if (count < 1 || count > maxCount) {
            return "job.count: " + count + " is outside 1.." + maxCount;
        }
        if (!engine.manifest().supportedSteps().contains(a.getSteps())) {
            return "steps: " + a.getSteps() + " is not one of " + engine.manifest().supportedSteps();
        }
        if (a.getJob().getClassId() >= engine.manifest().classNames().size()) {
            return "job.class_id: " + a.getJob().getClassId() + " is outside 0.." + (engine.manifest().classNames().size() - 1);
        }
        return null;
    }

    private List<Future<RecordMetadata>> execute(EngineRun run) {
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
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        List<GeneratedImage> images;
        try {
            images = engine.generate(labels, seeds, run.steps());
        } catch (InvalidRequestException e) {
            return run.assignments().stream().map(a -> send(failed(a, e.getMessage()))).toList();
        }
        double seconds = (System.nanoTime() - wall0) / 1e9;
        double joules = energyModel.joules((os.getProcessCpuTime() - cpu0) / 1e9);
        List<Integer> counts = run.assignments().stream().map(a -> a.getJob().getCount()).toList();
        List<Integer> steps = java.util.Collections.nCopies(counts.size(), run.steps());
        double[] jobJoules = WorkShare.split(joules, counts, steps);
        double[] jobSeconds = WorkShare.split(seconds, counts, steps);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        int from = 0;
        for (int j = 0; j < run.assignments().size(); j++) {
            Assignment a = run.assignments().get(j);
            JobResult.Builder result = JobResult.newBuilder().setJobId(a.getJob().getJobId()).setBatchId(a.getJob().getBatchId())
                    .setItemIndex(a.getJob().getItemIndex()).setStatus(JobStatus.JOB_STATUS_SUCCEEDED).setReplyTo(a.getJob().getReplyTo())
                    .setAccounting(accounting(engine, a, jobJoules[j], jobSeconds[j]));
            for (int k = 0; k < a.getJob().getCount(); k++) {
                GeneratedImage image = images.get(from + k);
                result.addPng(ByteString.copyFrom(Png.encode(image))).addSeeds(image.seed());
            }
            from += a.getJob().getCount();
            sent.add(send(result.build()));
        }
        return sent;
    }

    private Accounting accounting(Un0Engine engine, Assignment a, double joules, double seconds) {
        return Accounting.newBuilder().setPool(settings.pool()).setWorker(settings.worker())
                .setDeviceClass(deviceClass(engine))
                .setExecutionProvider(engine.provider().name()).setModel(engine.manifest().name())
                .setPrecision(a.getPrecision()).setSteps(a.getSteps())
                .setEnergy(Energy.newBuilder().setJoules(joules).setSource(EnergySource.ENERGY_SOURCE_MODELLED)
                        .setModel(energyModel.describe()))
                .setTimings(io.un0.proto.v1.Timings.newBuilder().setInference(duration(seconds)))
                .build();
    }

    /** The engine's device class in the contract's enum, whose constants carry the proto prefix. */
    private static DeviceClass deviceClass(Un0Engine engine) {
        return DeviceClass.valueOf("DEVICE_CLASS_" + engine.provider().deviceClass().name());
    }

    private static com.google.protobuf.Duration duration(double seconds) {
        long s = (long) seconds;
        return com.google.protobuf.Duration.newBuilder().setSeconds(s).setNanos((int) ((seconds - s) * 1e9)).build();
    }

    private JobResult failed(Assignment a, String error) {
        return JobResult.newBuilder().setJobId(a.getJob().getJobId()).setBatchId(a.getJob().getBatchId())
                .setItemIndex(a.getJob().getItemIndex()).setStatus(JobStatus.JOB_STATUS_FAILED).setError(error)
                .setReplyTo(a.getJob().getReplyTo()).build();
    }

    /** Batch items are keyed by batch, so one batch's results stay in order on one partition. */
    private Future<RecordMetadata> send(JobResult result) {
        String key = result.getBatchId().isEmpty() ? result.getJobId() : result.getBatchId();
        return producer.send(new ProducerRecord<>(MeshTopic.RESULTS.name(), key, result.toByteArray()));
    }

    private Future<RecordMetadata> deadLetter(ConsumerRecord<String, byte[]> r, String reason) {
        LOG.log(System.Logger.Level.WARNING, "dead letter from {0}-{1}@{2}: {3}", r.topic(), r.partition(), r.offset(), reason);
        DeadLetter.Builder d = DeadLetter.newBuilder().setTopic(r.topic()).setPartition(r.partition()).setOffset(r.offset())
                .setReason(reason).setService("worker " + settings.worker()).setFailed(now());
        if (r.key() != null) {
            d.setKey(ByteString.copyFromUtf8(r.key()));
        }
        if (r.value() != null) {
            d.setValue(ByteString.copyFrom(r.value()));
        }
        for (Header h : r.headers()) {
            d.putHeaders(h.key(), h.value() == null ? ByteString.EMPTY : ByteString.copyFrom(h.value()));
        }
        return producer.send(new ProducerRecord<>(MeshTopic.DEAD_LETTERS.name(), r.key(), d.build().toByteArray()));
    }

    private void heartbeat() {
        Un0Engine any = engines.values().iterator().next();
        Heartbeat.Builder h = Heartbeat.newBuilder().setWorker(settings.worker()).setPool(settings.pool()).setSite(settings.site())
                .setRegion(settings.region()).setExecutionProvider(any.provider().name())
                .setDeviceClass(deviceClass(any))
                .setCapacity(settings.maxBatchImages()).setQueueDepth(queueDepth).setSent(now());
        engines.keySet().forEach(h::addPrecisions);
        try {
            producer.send(new ProducerRecord<>(MeshTopic.HEARTBEATS.name(), settings.worker(), h.build().toByteArray()));
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log and try at the next beat.
            LOG.log(System.Logger.Level.WARNING, "heartbeat of " + settings.worker() + " not sent", e);
        }
    }

    private static Timestamp now() {
        Instant i = Instant.now();
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    /** Stops after the batch in hand; what it has not committed is redelivered. */
    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
