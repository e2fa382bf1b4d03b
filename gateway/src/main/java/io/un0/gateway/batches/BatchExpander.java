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
import io.un0.kafka.TransactionalProducer;
import io.un0.proto.MeshTopic;
import io.un0.proto.Violation;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.BatchSubmission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns batch submissions (from SubmitBatch or from any Kafka producer) into jobs. One member of a consumer group
 * shared by all gateway instances, so each submission is expanded by one. Exactly once: a submission's jobs (or its
 * dead letter, when it cannot be read or is invalid) and its offset are one Kafka transaction, committed together or
 * not at all, so a gateway that dies mid-way leaves no job behind and its successor writes each once. The jobs go out
 * through a transactional producer of its own, not the one callers' jobs take, which may take as long as the broker
 * does (not the callers' send timeout: ten thousand jobs take longer than one call may wait).
 */
@ApplicationScoped
public class BatchExpander extends ConsumerThread {

    static final String GROUP = "un0-gateway-batches";
    private static final System.Logger LOG = System.getLogger(BatchExpander.class.getName());
    private static final AttributeKey<String> TENANT = AttributeKey.stringKey("un0.tenant");
    /** How long a submission waits for this instance's reader to have read it (the same topic, another consumer). */
    private static final Duration TRACKER_WAIT = Duration.ofSeconds(10);
    /** How long one job may wait for the broker before the expansion fails and is tried again. */
    private static final Duration JOB_SEND_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long a submission's transaction may stay open: ten thousand jobs take a second or two. Batch jobs on the
     * partitions it wrote to wait behind it until then when its gateway dies (a restart under the same id ends it at once).
     */
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(30);
    /** The pause before a submission whose expansion failed is read again. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

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
             TransactionalProducer producer = new TransactionalProducer(kafka, client + "-out",
                     MeshTopic.GATEWAY_TRANSACTIONS + instance.id() + "-batches", JOB_SEND_TIMEOUT, TRANSACTION_TIMEOUT)) {
            c.subscribe(List.of(MeshTopic.BATCH_SUBMISSIONS.name()));
            while (running()) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (!settle(r, c, producer)) {
                        // Read this submission, and those of the poll behind it, again after a pause rather than lose
                        // them: every partition from its last commit (a partition that moved meanwhile, its new owner).
                        Thread.sleep(RETRY_AFTER.toMillis());
                        TransactionalProducer.rewind(c);
                        break;
                    }
                }
            }
        }
    }

    /**
     * One transaction: the submission's jobs or dead letter, and its offset.
     *
     * @return whether it was committed; else it was aborted, and the submission must be read again
     */
    private boolean settle(ConsumerRecord<String, byte[]> r, KafkaConsumer<String, byte[]> c, TransactionalProducer producer)
            throws InterruptedException {
        producer.begin();
        try {
            Optional<Expansion> expansion = expand(r, producer);
            if (expansion.isEmpty()) {
                producer.abortEmpty();
                return false;
            }
            producer.commit(Map.of(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1)), c.groupMetadata());
            expansion.get().tenant().ifPresent(tenant -> batchImages.record(expansion.get().images(), Attributes.of(TENANT, tenant)));
            return true;
        } catch (KafkaException e) {
            // The jobs were refused, or the group moved on (a broker stalled past the session timeout): nothing of it
            // is seen, and it is expanded again, here or by the partition's next owner.
            LOG.log(System.Logger.Level.WARNING, () -> String.format("batch submission %s-%d@%d not expanded (%s); aborted, expanded again",
                    r.topic(), r.partition(), r.offset(), e));
            producer.abandon(e, this::running);
            return false;
        }
    }

    /**
     * What a settled submission wrote.
     *
     * @param tenant the tenant whose jobs were written; empty when none were (a dead letter, a cancellation, a resubmission)
     */
    private record Expansion(Optional<String> tenant, long images) {
        static final Expansion NO_JOBS = new Expansion(Optional.empty(), 0);
    }

    /** Writes the submission's jobs or dead letter within the open transaction; empty when it cannot be settled yet. */
    private Optional<Expansion> expand(ConsumerRecord<String, byte[]> r, TransactionalProducer producer) throws InterruptedException {
        DeadLetters deadLetters = producer.deadLetters("gateway " + instance.id());
        Span span = tracer.spanBuilder("un0.gateway.expand-batch").setSpanKind(SpanKind.CONSUMER)
                .setParent(TraceHeaders.extract(otel, r.headers())).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            BatchSubmission s;
            try {
                s = SubmissionCodec.decode(r.value(), r.headers());
            } catch (IllegalArgumentException e) {
                deadLetters.send(r, e.getMessage());
                return Optional.of(Expansion.NO_JOBS);
            }
            Instant written = Instant.ofEpochMilli(r.timestamp());
            List<Violation> violations = validator.check(s, written);
            if (!violations.isEmpty()) {
                deadLetters.send(r, violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
                return Optional.of(Expansion.NO_JOBS);
            }
            span.setAttribute("un0.batch_id", s.getBatchId());
            if (s.getCancel()) {
                return Optional.of(Expansion.NO_JOBS);
            }
            RecordPlace here = new RecordPlace(r.partition(), r.offset());
            Optional<BatchTracker.FirstSubmission> first = tracker.firstSubmission(s.getBatchId(), here, TRACKER_WAIT);
            if (first.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, () -> String.format("batch %s not expanded yet: this instance has not read the submissions up to it", s.getBatchId()));
                return Optional.empty();
            }
            if (!first.get().place().equals(here)) {
                // Resubmitted: the same batch already has its jobs, so nothing runs twice; another batch may not take its id.
                if (first.get().fingerprint().equals(BatchTracker.fingerprint(s))) {
                    span.setAttribute("un0.batch.resubmitted", true);
                    return Optional.of(Expansion.NO_JOBS);
                }
                deadLetters.send(r, "batch_id: " + s.getBatchId() + " already names another batch (partition "
                        + first.get().place().partition() + ", offset " + first.get().place().offset() + "); choose a new batch id");
                return Optional.of(Expansion.NO_JOBS);
            }
            long images = 0;
            for (Job job : jobs.batch(s, written)) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(MeshTopic.jobs(job.getPriority()).name(), job.getJobId(), job.toByteArray());
                TraceHeaders.inject(otel, Context.current(), record.headers());
                producer.send(record);
                images += job.getCount();
            }
            return Optional.of(new Expansion(Optional.of(s.getTenant().isEmpty() ? Caller.DEFAULT_TENANT : s.getTenant()), images));
        } finally {
            span.end();
        }
    }
}
