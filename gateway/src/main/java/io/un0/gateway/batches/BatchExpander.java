package io.un0.gateway.batches;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.un0.auth.Caller;
import io.un0.gateway.GatewayInstance;
import io.un0.gateway.jobs.JobFactory;
import io.un0.gateway.kafka.ConsumerThread;
import io.un0.gateway.kafka.RecordPlace;
import io.un0.gateway.validation.RequestValidator;
import io.un0.kafka.DeadLetters;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.KafkaConfig;
import io.un0.kafka.MeshClients;
import io.un0.kafka.SubmissionCodec;
import io.un0.kafka.TraceHeaders;
import io.un0.proto.MeshTopic;
import io.un0.proto.Violation;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.BatchSubmission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns batch submissions (from SubmitBatch or from any Kafka producer) into jobs. One member of a consumer group
 * shared by all gateway instances, so each submission is expanded once; its offset is committed only after its jobs
 * (or its dead letter, when it cannot be read or is invalid) are acknowledged. Its jobs go out through a producer
 * of its own, not the one callers' jobs take, and it waits for each job's acknowledgement as long as the broker may
 * take (not the callers' send timeout: ten thousand jobs take longer than one call may wait); the ones that failed
 * are sent again, alone. Expanding twice after a crash makes the same job ids and seeds, which the rest of the mesh
 * treats as one, at the cost of routing and running them again.
 */
@ApplicationScoped
public class BatchExpander extends ConsumerThread {

    static final String GROUP = "un0-gateway-batches";
    private static final System.Logger LOG = System.getLogger(BatchExpander.class.getName());
    private static final AttributeKey<String> TENANT = AttributeKey.stringKey("un0.tenant");
    /** How long a submission waits for this instance's reader to have read it (the same topic, another consumer). */
    private static final Duration TRACKER_WAIT = Duration.ofSeconds(10);
    /** How long one job may wait for the broker before it fails and is sent again. */
    private static final Duration JOB_SEND_TIMEOUT = Duration.ofSeconds(30);
    /** The pause before the jobs that failed are sent again. */
    private static final Duration RESEND_AFTER = Duration.ofSeconds(1);

    private final KafkaAccess kafka;
    private final RequestValidator validator;
    private final JobFactory jobs;
    private final GatewayInstance instance;
    private final OpenTelemetry otel;
    private final Tracer tracer;
    private final BatchTracker tracker;
    /** Recorded by the one instance that expands a batch, so that a batch counts once however many gateways run. */
    private final LongHistogram batchImages;

    public BatchExpander(KafkaConfig kafkaConfig, RequestValidator validator,
                         JobFactory jobs, GatewayInstance instance, OpenTelemetry otel, BatchTracker tracker) {
        this.kafka = kafkaConfig.access();
        this.validator = validator;
        this.jobs = jobs;
        this.instance = instance;
        this.otel = otel;
        this.tracer = otel.getTracer("io.un0.gateway");
        this.tracker = tracker;
        this.batchImages = otel.getMeter("io.un0.gateway").histogramBuilder("un0.gateway.batch.images").ofLongs().setUnit("{image}")
                .setDescription("Images per batch expanded into jobs, by tenant").build();
    }

    void start(@Observes StartupEvent event) {
        startThread("un0-batch-expander");
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopThread();
    }

    @Override
    protected void consume() throws InterruptedException {
        String client = "gateway-" + instance.id() + "-batches";
        try (KafkaConsumer<String, byte[]> c = wakeable(MeshClients.groupMember(kafka, GROUP, client, 50));
             KafkaProducer<String, byte[]> producer = MeshClients.producer(kafka, client + "-out", JOB_SEND_TIMEOUT)) {
            DeadLetters deadLetters = new DeadLetters(producer, "gateway " + instance.id());
            c.subscribe(List.of(MeshTopic.BATCH_SUBMISSIONS.name()));
            while (running()) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (!expand(r, producer, deadLetters)) {
                        // Kafka refused the jobs: read this submission again after a pause rather than lose it.
                        c.seek(new TopicPartition(r.topic(), r.partition()), r.offset());
                        Thread.sleep(1_000);
                        break;
                    }
                    try {
                        c.commitSync(Map.of(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1)));
                    } catch (CommitFailedException e) {
                        // Out of the group meanwhile (a broker stalled past the session timeout): whoever has the
                        // partition now expands it again from the last commit; this one rejoins with the next poll.
                        LOG.log(System.Logger.Level.WARNING, () -> String.format("batch submission %s-%d@%d expanded but not committed (%s); "
                                + "its partition's next owner expands it again", r.topic(), r.partition(), r.offset(), e.getMessage()));
                        break;
                    }
                }
            }
        }
    }

    /** @return whether the submission is settled (jobs or dead letter acknowledged) and may be committed */
    private boolean expand(ConsumerRecord<String, byte[]> r, KafkaProducer<String, byte[]> producer, DeadLetters deadLetters) throws InterruptedException {
        Span span = tracer.spanBuilder("un0.gateway.expand-batch").setSpanKind(SpanKind.CONSUMER)
                .setParent(TraceHeaders.extract(otel, r.headers())).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            BatchSubmission s;
            try {
                s = SubmissionCodec.decode(r.value(), r.headers());
            } catch (IllegalArgumentException e) {
                return settled(deadLetters.send(r, e.getMessage()));
            }
            Instant written = Instant.ofEpochMilli(r.timestamp());
            List<Violation> violations = validator.check(s, written);
            if (!violations.isEmpty()) {
                return settled(deadLetters.send(r, violations.stream().map(Violation::toString).collect(Collectors.joining("; "))));
            }
            span.setAttribute("un0.batch_id", s.getBatchId());
            if (s.getCancel()) {
                return true;
            }
            RecordPlace here = new RecordPlace(r.partition(), r.offset());
            Optional<BatchTracker.FirstSubmission> first = tracker.firstSubmission(s.getBatchId(), here, TRACKER_WAIT);
            if (first.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, () -> String.format("batch %s not expanded yet: this instance has not read the submissions up to it", s.getBatchId()));
                return false;
            }
            if (!first.get().place().equals(here)) {
                // Resubmitted: the same batch already has its jobs, so nothing runs twice; another batch may not take its id.
                if (first.get().fingerprint().equals(BatchTracker.fingerprint(s))) {
                    span.setAttribute("un0.batch.resubmitted", true);
                    return true;
                }
                return settled(deadLetters.send(r, "batch_id: " + s.getBatchId() + " already names another batch (partition "
                        + first.get().place().partition() + ", offset " + first.get().place().offset() + "); choose a new batch id"));
            }
            List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
            long images = 0;
            for (Job job : jobs.batch(s, written)) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(MeshTopic.jobs(job.getPriority()).name(), job.getJobId(), job.toByteArray());
                TraceHeaders.inject(otel, Context.current(), record.headers());
                out.add(record);
                images += job.getCount();
            }
            while (!out.isEmpty()) {
                out = unacknowledged(producer, out);
                if (!out.isEmpty()) {
                    int failed = out.size();
                    LOG.log(System.Logger.Level.WARNING, () -> String.format("batch %s: %d jobs not acknowledged; sending them again", s.getBatchId(), failed));
                    if (!running()) {
                        // The next expander expands the batch again: the same job ids and seeds.
                        return false;
                    }
                    Thread.sleep(RESEND_AFTER.toMillis());
                }
            }
            batchImages.record(images, Attributes.of(TENANT, s.getTenant().isEmpty() ? Caller.DEFAULT_TENANT : s.getTenant()));
            return true;
        } finally {
            span.end();
        }
    }

    /** Sends them all and waits for every acknowledgement, each bounded by the producer's delivery timeout; returns those that failed. */
    private static List<ProducerRecord<String, byte[]>> unacknowledged(KafkaProducer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> records)
            throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        List<ProducerRecord<String, byte[]>> failed = new ArrayList<>();
        for (ProducerRecord<String, byte[]> r : records) {
            try {
                acks.add(producer.send(r));
            } catch (KafkaException e) {
                // No room in the producer's buffer within its blocking time: this one is sent again.
                acks.add(null);
            }
        }
        for (int i = 0; i < records.size(); i++) {
            if (acks.get(i) == null) {
                failed.add(records.get(i));
                continue;
            }
            try {
                acks.get(i).get();
            } catch (ExecutionException e) {
                failed.add(records.get(i));
            }
        }
        return failed;
    }

    private static boolean settled(Future<RecordMetadata> ack) {
        try {
            ack.get();
            return true;
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, () -> String.format("dead letter not written: %s", e.getCause().getMessage()));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
