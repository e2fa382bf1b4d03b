package io.un0.gateway.batches;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.un0.auth.Caller;
import io.un0.auth.Callers;
import io.un0.gateway.GatewayConfig;
import io.un0.gateway.GatewayMetrics;
import io.un0.gateway.jobs.JobFactory;
import io.un0.gateway.kafka.MeshPublisher;
import io.un0.gateway.kafka.MeshUnavailableException;
import io.un0.gateway.quotas.QuotaGuard;
import io.un0.gateway.validation.RequestValidator;
import io.un0.proto.GrpcStatuses;
import io.un0.proto.MeshTopic;
import io.un0.proto.UnreadableRequests;
import io.un0.proto.Violation;
import io.un0.proto.v1.Batch;
import io.un0.proto.v1.BatchEvent;
import io.un0.proto.v1.BatchImage;
import io.un0.proto.v1.BatchSubmission;
import io.un0.proto.v1.CancelBatchRequest;
import io.un0.proto.v1.FetchBatchImagesRequest;
import io.un0.proto.v1.GetBatchRequest;
import io.un0.proto.v1.MutinyBatchesGrpc;
import io.un0.proto.v1.SubmitBatchRequest;
import io.un0.proto.v1.SubmitBatchResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Batches over gRPC. A submission goes to the submissions topic, the same path as a batch written by any Kafka
 * producer; progress and images come from the results topic, so any gateway instance answers for any batch.
 */
@GrpcService
public class BatchesService extends MutinyBatchesGrpc.BatchesImplBase {

    private final RequestValidator validator;
    private final JobFactory jobs;
    private final MeshPublisher publisher;
    private final BatchTracker tracker;
    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final QuotaGuard quotas;

    public BatchesService(RequestValidator validator, JobFactory jobs, MeshPublisher publisher, BatchTracker tracker,
                          GatewayConfig config, GatewayMetrics metrics, QuotaGuard quotas) {
        this.quotas = quotas;
        this.validator = validator;
        this.jobs = jobs;
        this.publisher = publisher;
        this.tracker = tracker;
        this.config = config;
        this.metrics = metrics;
    }

    /** Bytes that are not a request are refused naming the message type, not answered UNKNOWN by grpc-java. */
    @Override
    public ServerServiceDefinition bindService() {
        return UnreadableRequests.refusedPrecisely(super.bindService());
    }

    @Override
    @Blocking
    public Uni<SubmitBatchResponse> submitBatch(SubmitBatchRequest request) {
        Instant now = Instant.now();
        Caller caller = Callers.current();
        List<Violation> violations = validator.check(request, now);
        if (!violations.isEmpty()) {
            return metrics.observe("SubmitBatch", now, Uni.createFrom().failure(GrpcStatuses.invalid(violations)));
        }
        Optional<StatusRuntimeException> overQuota = quotas.refusal(caller.tenant(), 0, now);
        if (overQuota.isPresent()) {
            return metrics.observe("SubmitBatch", now, Uni.createFrom().failure(overQuota.get()));
        }
        BatchSubmission submission = jobs.submission(request, caller.tenant());
        SubmitBatchResponse accepted = SubmitBatchResponse.newBuilder().setBatchId(submission.getBatchId()).build();
        Optional<ByteString> known = tracker.fingerprintOf(submission.getBatchId());
        if (known.isPresent()) {
            // A retry under the key: the batch exists; another batch under the key is refused (the expander would dead-letter it).
            return metrics.observe("SubmitBatch", now, known.get().equals(BatchTracker.fingerprint(submission)) ? Uni.createFrom().item(accepted)
                    : Uni.createFrom().failure(GrpcStatuses.invalid(List.of(new Violation("idempotency_key",
                            "already names batch " + submission.getBatchId() + ", a different one; use a new key for a new batch")))));
        }
        return metrics.observe("SubmitBatch", now, write(submission).map(ignored -> accepted));
    }

    @Override
    public Uni<Batch> getBatch(GetBatchRequest request) {
        String tenant = Callers.current().tenant();
        return metrics.observe("GetBatch", Instant.now(), Uni.createFrom().item(() -> tracker.get(required(request.getBatchId()), tenant)
                .orElseThrow(() -> unknown(request.getBatchId()))));
    }

    @Override
    public Multi<BatchEvent> watchBatch(GetBatchRequest request) {
        String tenant = Callers.current().tenant();
        return metrics.observe("WatchBatch", Instant.now(), Multi.createFrom().deferred(() -> tracker.watch(required(request.getBatchId()), tenant)
                .orElseThrow(() -> unknown(request.getBatchId()))));
    }

    /** Answers with the state the cancellation led to, once this instance has read it back (at most a few seconds). */
    @Override
    @Blocking
    public Uni<Batch> cancelBatch(CancelBatchRequest request) {
        Instant now = Instant.now();
        String tenant = Callers.current().tenant();
        return metrics.observe("CancelBatch", now, Uni.createFrom().item(() -> tracker.get(required(request.getBatchId()), tenant)
                        .orElseThrow(() -> unknown(request.getBatchId())))
                .chain(batch -> write(BatchSubmission.newBuilder().setBatchId(batch.getBatchId()).setTenant(tenant).setCancel(true).build()))
                .map(ignored -> settledState(request.getBatchId(), tenant, now.plus(config.sendTimeout()))));
    }

    @Override
    public Multi<BatchImage> fetchBatchImages(FetchBatchImagesRequest request) {
        String tenant = Callers.current().tenant();
        return metrics.observe("FetchBatchImages", Instant.now(), Multi.createFrom().deferred(() -> tracker.images(required(request.getBatchId()), tenant)
                .orElseThrow(() -> unknown(request.getBatchId()))));
    }

    private Batch settledState(String batchId, String tenant, Instant until) {
        Batch b = tracker.get(batchId, tenant).orElseThrow(() -> unknown(batchId));
        while (!BatchStates.terminal(b.getState()) && Instant.now().isBefore(until)) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            b = tracker.get(batchId, tenant).orElseThrow(() -> unknown(batchId));
        }
        return b;
    }

    private Uni<Void> write(BatchSubmission s) {
        try {
            publisher.sendAll(List.of(new ProducerRecord<>(MeshTopic.BATCH_SUBMISSIONS.name(), s.getBatchId(), s.toByteArray())));
            return Uni.createFrom().voidItem();
        } catch (MeshUnavailableException e) {
            return Uni.createFrom().failure(GrpcStatuses.unavailable(e.getMessage(), config.retryAfter()));
        }
    }

    /** An empty batch id is a field error, not an unknown batch. */
    private static String required(String batchId) {
        if (batchId.isBlank()) {
            throw GrpcStatuses.invalid(List.of(new Violation("batch_id", "required")));
        }
        return batchId;
    }

    private static RuntimeException unknown(String batchId) {
        return GrpcStatuses.plain(Code.NOT_FOUND, "no batch " + batchId + " of this tenant (unknown, another tenant's, or finished more than the retention ago)");
    }
}
