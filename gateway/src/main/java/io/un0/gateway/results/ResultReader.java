package io.un0.gateway.results;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.un0.gateway.GatewayInstance;
import io.un0.gateway.batches.BatchTracker;
import io.un0.gateway.kafka.ConsumerThread;
import io.un0.gateway.kafka.RecordPlace;
import io.un0.gateway.leases.LeaseBook;
import io.un0.gateway.quotas.QuotaBook;
import io.un0.gateway.quotas.UsageLedger;
import io.un0.gateway.validation.RequestValidator;
import io.un0.kafka.KafkaAccess;
import io.un0.kafka.KafkaConfig;
import io.un0.kafka.MeshClients;
import io.un0.kafka.MeshTopics;
import io.un0.kafka.SubmissionCodec;
import io.un0.kafka.TraceHeaders;
import io.un0.proto.MeshTopic;
import io.un0.proto.mesh.v1.Lease;
import io.un0.proto.v1.BatchSubmission;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.Quota;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the whole results, submissions, quotas and leases topics (every instance reads all of them, outside any consumer
 * group): answers this instance's waiting calls (results whose reply_to names it), advances every batch, counts
 * every tenant's usage, keeps every tenant's quota and this instance's lease. Starts from the
 * beginning so that a new instance knows the batches submitted before it came up; ready once it has caught up.
 */
@ApplicationScoped
public class ResultReader extends ConsumerThread {

    private static final System.Logger LOG = System.getLogger(ResultReader.class.getName());

    private final KafkaAccess kafka;
    private final PendingReplies pending;
    private final BatchTracker batches;
    private final QuotaBook quotas;
    private final UsageLedger usage;
    private final LeaseBook leases;
    private final GatewayInstance instance;
    private final RequestValidator validator;
    private final OpenTelemetry otel;
    private final Tracer tracer;
    private volatile boolean caughtUp;

    public ResultReader(KafkaConfig kafkaConfig, PendingReplies pending,
                        BatchTracker batches, GatewayInstance instance, RequestValidator validator, OpenTelemetry otel,
                        QuotaBook quotas, UsageLedger usage, LeaseBook leases) {
        this.quotas = quotas;
        this.usage = usage;
        this.leases = leases;
        this.validator = validator;
        this.kafka = kafkaConfig.access();
        this.pending = pending;
        this.batches = batches;
        this.instance = instance;
        this.otel = otel;
        this.tracer = otel.getTracer("io.un0.gateway");
    }

    void start(@Observes StartupEvent event) {
        startThread("un0-result-reader");
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopThread();
    }

    /** Ready once the topics exist and everything written before start has been read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    @Override
    protected void consume() throws InterruptedException {
        while (running() && !topicsReady()) {
            Thread.sleep(2_000);
        }
        try (KafkaConsumer<String, byte[]> c = wakeable(MeshClients.reader(kafka, "gateway-" + instance.id() + "-results"))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (MeshTopic t : List.of(MeshTopic.RESULTS, MeshTopic.BATCH_SUBMISSIONS, MeshTopic.QUOTAS, MeshTopic.LEASES)) {
                partitions.addAll(MeshTopics.partitions(c, t, Duration.ofSeconds(10)));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (running()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    handle(r);
                }
                for (TopicPartition p : partitions) {
                    if (p.topic().equals(MeshTopic.BATCH_SUBMISSIONS.name())) {
                        batches.readUpTo(p.partition(), c.position(p));
                    }
                }
                if (!caughtUp) {
                    caughtUp = end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
                }
            }
        }
    }

    private boolean topicsReady() {
        try {
            MeshTopics.create(kafka, MeshTopic.FIXED);
            return true;
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, () -> String.format("Kafka at %s not ready (%s); trying again", kafka.bootstrapServers(), e.getMessage()));
            return false;
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        Instant now = Instant.now();
        try {
            if (r.topic().equals(MeshTopic.RESULTS.name())) {
                JobResult result = JobResult.parseFrom(r.value());
                // Counted before the caller hears of it, so that its next call meets a quota this job used up.
                usage.record(result, Instant.ofEpochMilli(r.timestamp()));
                if (result.getReplyTo().equals(instance.id())) {
                    Span span = tracer.spanBuilder("un0.gateway.result").setSpanKind(SpanKind.CONSUMER)
                            .setParent(TraceHeaders.extract(otel, r.headers())).setAttribute("un0.job_id", result.getJobId()).startSpan();
                    try (Scope ignored = span.makeCurrent()) {
                        pending.complete(result);
                    } finally {
                        span.end();
                    }
                }
                if (!result.getBatchId().isEmpty()) {
                    batches.result(result, new RecordPlace(r.partition(), r.offset()), now);
                }
            } else if (r.topic().equals(MeshTopic.QUOTAS.name())) {
                quotas.read(r.key(), r.value() == null ? null : Quota.parseFrom(r.value()));
            } else if (r.topic().equals(MeshTopic.LEASES.name())) {
                leases.read(r.key(), r.value() == null ? null : Lease.parseFrom(r.value()));
            } else {
                BatchSubmission s = SubmissionCodec.decode(r.value(), r.headers());
                Instant written = Instant.ofEpochMilli(r.timestamp());
                // Judged as of when it was written, exactly as the expander judged it: the invalid ones never ran.
                if (validator.check(s, written).isEmpty()) {
                    batches.submitted(s, written, new RecordPlace(r.partition(), r.offset()));
                }
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException | IllegalArgumentException e) {
            // The batch expander dead-letters unreadable submissions; an unreadable result is a worker's bug.
            LOG.log(System.Logger.Level.DEBUG, () -> String.format("skipping unreadable %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage()));
        }
    }
}
