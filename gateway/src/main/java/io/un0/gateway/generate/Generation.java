package io.un0.gateway.generate;

import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.un0.auth.Caller;
import io.un0.auth.Callers;
import io.un0.gateway.GatewayConfig;
import io.un0.gateway.GatewayInstance;
import io.un0.gateway.GatewayMetrics;
import io.un0.gateway.GrpcErrors;
import io.un0.gateway.health.SchedulerWatch;
import io.un0.gateway.jobs.JobFactory;
import io.un0.gateway.kafka.MeshPublisher;
import io.un0.gateway.kafka.MeshUnavailableException;
import io.un0.gateway.leases.LeaseBook;
import io.un0.gateway.quotas.QuotaGuard;
import io.un0.gateway.results.PendingReplies;
import io.un0.gateway.results.ResultImages;
import io.un0.gateway.validation.ModelCatalogue;
import io.un0.gateway.validation.RequestValidator;
import io.un0.proto.GrpcStatuses;
import io.un0.proto.ProtoTime;
import io.un0.proto.Violation;
import io.un0.proto.mesh.v1.Job;
import io.un0.proto.v1.Accounting;
import io.un0.proto.v1.GenerateRequest;
import io.un0.proto.v1.GenerateResponse;
import io.un0.proto.v1.GenerateStreamResponse;
import io.un0.proto.v1.JobResult;
import io.un0.proto.v1.JobStatus;
import io.un0.proto.v1.Timings;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * One interactive request, whichever protocol it came in by (un0.v1 Generate and GenerateStream, the Open Inference
 * Protocol's ModelInfer): validate, refuse what cannot go ahead now, write the jobs to Kafka (straight to a pool under
 * the gateway's lease where they fit it, see {@link LeaseBook}), wait for their results.
 * Blocking because a write waits for the broker's acknowledgement; the wait for the results holds no thread.
 */
@Singleton
public class Generation {

    private final RequestValidator validator;
    private final JobFactory jobs;
    private final MeshPublisher publisher;
    private final PendingReplies pending;
    private final GatewayInstance instance;
    private final ModelCatalogue catalogue;
    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final IdempotentCalls idempotent;
    private final SchedulerWatch scheduler;
    private final QuotaGuard quotas;
    private final LeaseBook leases;

    public Generation(RequestValidator validator, JobFactory jobs, MeshPublisher publisher, PendingReplies pending,
                      GatewayInstance instance, ModelCatalogue catalogue, GatewayConfig config, GatewayMetrics metrics,
                      IdempotentCalls idempotent, SchedulerWatch scheduler, QuotaGuard quotas, LeaseBook leases) {
        this.validator = validator;
        this.jobs = jobs;
        this.publisher = publisher;
        this.pending = pending;
        this.instance = instance;
        this.catalogue = catalogue;
        this.config = config;
        this.metrics = metrics;
        this.idempotent = idempotent;
        this.scheduler = scheduler;
        this.quotas = quotas;
        this.leases = leases;
    }

    /**
     * All the request's images in one answer. {@code method} names the call in the metrics; {@code fieldNames} turns
     * a {@link GenerateRequest} field into the name the caller's protocol gave it, so that a refusal names what the
     * caller sent.
     */
    public Uni<GenerateResponse> generate(String method, GenerateRequest request, UnaryOperator<String> fieldNames) {
        Instant now = Instant.now();
        Caller caller = Callers.current();
        List<Violation> violations = validator.check(request, now);
        if (!violations.isEmpty()) {
            return metrics.observe(method, now, Uni.createFrom().failure(invalid(violations, fieldNames)));
        }
        // Only once validated: a deadline outside Instant's range is a field error, not an exception here.
        Instant deadline = deadline(request, now);
        Optional<StatusRuntimeException> refused = refusal(caller, request, now);
        if (refused.isPresent()) {
            return metrics.observe(method, now, Uni.createFrom().failure(refused.get()));
        }
        Job job = jobs.interactive(request, caller.tenant(), instance.id(), now, deadline, false).jobs().get(0);
        // The job id derives from the tenant and the key: the same key in two tenants is two calls.
        String key = request.getIdempotencyKey().isEmpty() ? "" : job.getJobId();
        IdempotentCalls.Claim claim = null;
        if (!key.isEmpty()) {
            try {
                claim = idempotent.claim(key, request, now);
            } catch (IdempotentCalls.ConflictException e) {
                return metrics.observe(method, now, Uni.createFrom().failure(
                        invalid(List.of(new Violation("idempotency_key", e.getMessage())), fieldNames)));
            }
            if (!claim.first()) {
                // The same request again: the first call's answer, once it has one; nothing is generated twice.
                return metrics.observe(method, now, Uni.createFrom().completionStage(claim.answer())
                        .ifNoItem().after(Duration.between(now, deadline))
                        .failWith(() -> GrpcStatuses.plain(Code.DEADLINE_EXCEEDED, "no answer under idempotency key "
                                + request.getIdempotencyKey() + " by " + deadline)));
            }
        }
        CompletableFuture<JobResult> result = new CompletableFuture<>();
        pending.await(job.getJobId(), result::complete);
        try {
            publisher.sendAll(leases.route(job, now));
        } catch (MeshUnavailableException e) {
            pending.forget(job.getJobId());
            StatusRuntimeException unavailable = GrpcStatuses.unavailable(e.getMessage(), config.retryAfter());
            if (claim != null) {
                idempotent.failed(key, unavailable);
            }
            return metrics.observe(method, now, Uni.createFrom().failure(unavailable));
        }
        Uni<GenerateResponse> response = Uni.createFrom().completionStage(result)
                .ifNoItem().after(Duration.between(now, deadline))
                .failWith(() -> GrpcStatuses.plain(Code.DEADLINE_EXCEEDED, "no result for job " + job.getJobId() + " by " + deadline))
                .onTermination().invoke(() -> pending.forget(job.getJobId()))
                .map(r -> GenerateResponse.newBuilder().setJobId(job.getJobId())
                        .addAllImages(ResultImages.of(succeeded(r), catalogue, 0))
                        .setAccounting(withTotal(r.getAccounting(), now)).build());
        if (claim != null) {
            // Settled however this call ends, a client giving up included, so that callers joined to it never hang.
            response = response.onItem().invoke(answer -> idempotent.answered(key, answer))
                    .onFailure().invoke(why -> idempotent.failed(key, why))
                    .onCancellation().invoke(() -> idempotent.failed(key, GrpcStatuses.plain(Code.CANCELLED,
                            "the call that ran job " + job.getJobId() + " was cancelled; retry under the same key")));
        }
        return metrics.observe(method, now, response);
    }

    /** One job per image, so that each image is sent as soon as it is ready. */
    public Multi<GenerateStreamResponse> stream(GenerateRequest request) {
        Instant now = Instant.now();
        Caller caller = Callers.current();
        List<Violation> violations = new ArrayList<>(validator.check(request, now));
        if (!request.getIdempotencyKey().isEmpty()) {
            // A stream's images go out as they come: there is no one answer to keep and hand to a retry.
            violations.add(new Violation("idempotency_key", "not taken by GenerateStream; use Generate for a call that may be retried"));
        }
        if (!violations.isEmpty()) {
            return metrics.observe("GenerateStream", now, Multi.createFrom().failure(GrpcStatuses.invalid(violations)));
        }
        Instant deadline = deadline(request, now);
        Optional<StatusRuntimeException> refused = refusal(caller, request, now);
        if (refused.isPresent()) {
            return metrics.observe("GenerateStream", now, Multi.createFrom().failure(refused.get()));
        }
        JobFactory.InteractiveJobs planned = jobs.interactive(request, caller.tenant(), instance.id(), now, deadline, true);
        List<Job> perImage = planned.jobs();
        String requestId = planned.requestId();
        Multi<GenerateStreamResponse> stream = Multi.createFrom().<GenerateStreamResponse>emitter(emitter -> {
            AtomicInteger left = new AtomicInteger(perImage.size());
            for (Job job : perImage) {
                pending.await(job.getJobId(), r -> {
                    if (r.getStatus() != JobStatus.JOB_STATUS_SUCCEEDED) {
                        emitter.fail(GrpcErrors.failed(r, config.retryAfter()));
                        return;
                    }
                    ResultImages.of(r, catalogue, (int) r.getItemIndex()).forEach(image -> emitter.emit(GenerateStreamResponse.newBuilder()
                            .setJobId(requestId).setImage(image).setAccounting(withTotal(r.getAccounting(), now)).build()));
                    if (left.decrementAndGet() == 0) {
                        emitter.complete();
                    }
                });
            }
            emitter.onTermination(() -> perImage.forEach(j -> pending.forget(j.getJobId())));
            try {
                publisher.sendAll(perImage.stream().flatMap(j -> leases.route(j, now).stream()).toList());
            } catch (MeshUnavailableException e) {
                emitter.fail(GrpcStatuses.unavailable(e.getMessage(), config.retryAfter()));
            }
        }).ifNoItem().after(Duration.between(now, deadline))
                .failWith(() -> GrpcStatuses.plain(Code.DEADLINE_EXCEEDED, "not every image of " + requestId + " was ready by " + deadline));
        return metrics.observe("GenerateStream", now, stream);
    }

    /** Why a valid request cannot go ahead now: no scheduler would route it (said now, not at the deadline), or a quota. */
    private Optional<StatusRuntimeException> refusal(Caller caller, GenerateRequest request, Instant now) {
        Optional<String> noScheduler = scheduler.noScheduler();
        if (noScheduler.isPresent()) {
            return Optional.of(GrpcStatuses.unavailable(noScheduler.get(), config.retryAfter()));
        }
        return quotas.refusal(caller.tenant(), Math.max(1, request.getCount()), now);
    }

    private Instant deadline(GenerateRequest request, Instant now) {
        return request.hasDeadline() ? ProtoTime.instant(request.getDeadline()) : now.plus(config.defaultTimeout());
    }

    private JobResult succeeded(JobResult r) {
        if (r.getStatus() != JobStatus.JOB_STATUS_SUCCEEDED) {
            throw GrpcErrors.failed(r, config.retryAfter());
        }
        return r;
    }

    private static StatusRuntimeException invalid(List<Violation> violations, UnaryOperator<String> fieldNames) {
        return GrpcStatuses.invalid(violations.stream().map(v -> new Violation(fieldNames.apply(v.field()), v.description())).toList());
    }

    /** The worker fills in the inference time; the whole time from acceptance to answer is the gateway's to say. */
    private static Accounting withTotal(Accounting a, Instant accepted) {
        Timings t = a.getTimings().toBuilder().setTotal(ProtoTime.duration(Duration.between(accepted, Instant.now()))).build();
        return a.toBuilder().setTimings(t).build();
    }
}
