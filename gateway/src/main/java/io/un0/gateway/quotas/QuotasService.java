package io.un0.gateway.quotas;

import com.google.rpc.Code;
import io.grpc.ServerServiceDefinition;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.un0.auth.Caller;
import io.un0.auth.Callers;
import io.un0.auth.Role;
import io.un0.gateway.GatewayConfig;
import io.un0.gateway.kafka.MeshPublisher;
import io.un0.gateway.kafka.MeshUnavailableException;
import io.un0.proto.GrpcStatuses;
import io.un0.proto.MeshTopic;
import io.un0.proto.UnreadableRequests;
import io.un0.proto.Violation;
import io.un0.proto.v1.GetUsageRequest;
import io.un0.proto.v1.ListQuotasRequest;
import io.un0.proto.v1.ListQuotasResponse;
import io.un0.proto.v1.MutinyQuotasGrpc;
import io.un0.proto.v1.Quota;
import io.un0.proto.v1.TenantUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Operators set and read tenants' quotas; a tenant reads its own usage. Quotas live on the compacted quotas topic. */
@GrpcService
public class QuotasService extends MutinyQuotasGrpc.QuotasImplBase {

    private final QuotaBook book;
    private final UsageLedger ledger;
    private final MeshPublisher publisher;
    private final GatewayConfig config;

    public QuotasService(QuotaBook book, UsageLedger ledger, MeshPublisher publisher, GatewayConfig config) {
        this.book = book;
        this.ledger = ledger;
        this.publisher = publisher;
        this.config = config;
    }

    /** Bytes that are not a request are refused naming the message type, not answered UNKNOWN by grpc-java. */
    @Override
    public ServerServiceDefinition bindService() {
        return UnreadableRequests.refusedPrecisely(super.bindService());
    }

    @Override
    @Blocking
    public Uni<Quota> setQuota(Quota request) {
        Caller caller = Callers.current();
        List<Violation> violations = new ArrayList<>();
        if (request.getTenant().isBlank()) {
            violations.add(new Violation("tenant", "required"));
        }
        limit(violations, "images_per_second", request.getImagesPerSecond());
        limit(violations, "joules_per_day", request.getJoulesPerDay());
        limit(violations, "grams_co2e_per_day", request.getGramsCo2EPerDay());
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(GrpcStatuses.invalid(violations));
        }
        // The audit trail names who set it from the credential, whatever the request says.
        Quota quota = request.toBuilder().setSetBy(caller.subject()).build();
        try {
            publisher.sendAll(List.of(new ProducerRecord<>(MeshTopic.QUOTAS.name(), quota.getTenant(), quota.toByteArray())));
            if (!book.awaitRead(quota, config.sendTimeout())) {
                return Uni.createFrom().failure(GrpcStatuses.unavailable("the quota was written but not read back within "
                        + config.sendTimeout() + "; setting it again is safe", config.retryAfter()));
            }
        } catch (MeshUnavailableException e) {
            return Uni.createFrom().failure(GrpcStatuses.unavailable(e.getMessage(), config.retryAfter()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Uni.createFrom().failure(GrpcStatuses.plain(Code.CANCELLED, "interrupted"));
        }
        return Uni.createFrom().item(quota);
    }

    private static void limit(List<Violation> violations, String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            violations.add(new Violation(field, "must be a finite number >= 0 (0: no limit), not " + value));
        }
    }

    @Override
    public Uni<ListQuotasResponse> listQuotas(ListQuotasRequest request) {
        return Uni.createFrom().item(ListQuotasResponse.newBuilder().addAllQuotas(book.all()).build());
    }

    @Override
    public Uni<TenantUsage> getUsage(GetUsageRequest request) {
        Caller caller = Callers.current();
        String tenant = request.getTenant().isEmpty() ? caller.tenant() : request.getTenant();
        if (!tenant.equals(caller.tenant()) && !caller.has(Role.OPERATOR)) {
            return Uni.createFrom().failure(GrpcStatuses.plain(Code.PERMISSION_DENIED,
                    "only operators read another tenant's usage; the caller is " + caller));
        }
        return Uni.createFrom().item(ledger.today(tenant, Instant.now(), book.quota(tenant)));
    }
}
