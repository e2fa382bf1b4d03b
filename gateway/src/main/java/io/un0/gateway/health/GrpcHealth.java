package io.un0.gateway.health;

import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import grpc.health.v1.MutinyHealthGrpc;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.un0.gateway.GatewayReadiness;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.health.Readiness;

/**
 * The gRPC health protocol ({@code grpc.health.v1.Health}) as it is written: the server ({@code ""}) and each service
 * it serves are SERVING while the gateway is ready and NOT_SERVING otherwise; Check on a service it does not serve
 * is NOT_FOUND, and Watch on one reports SERVICE_UNKNOWN. Quarkus's own health service, which answered an unknown
 * service without an error, is switched off ({@code quarkus.grpc.server.grpc-health.enabled=false}).
 */
@GrpcService
public class GrpcHealth extends MutinyHealthGrpc.HealthImplBase {

    static final List<String> SERVICES = List.of("", "un0.v1.Generator", "un0.v1.Batches", "inference.GRPCInferenceService");
    private static final Duration WATCH_EVERY = Duration.ofSeconds(1);
    /** SERVICE_UNKNOWN in the protocol's ServingStatus, newer than the stubs Quarkus ships, so named by its number. */
    private static final int SERVICE_UNKNOWN = 3;

    private final GatewayReadiness readiness;

    public GrpcHealth(@Readiness GatewayReadiness readiness) {
        this.readiness = readiness;
    }

    @Override
    public Uni<HealthCheckResponse> check(HealthCheckRequest request) {
        if (!SERVICES.contains(request.getService())) {
            return Uni.createFrom().failure(Status.NOT_FOUND.withDescription("service '" + request.getService()
                    + "' is not served here; health is reported for " + SERVICES).asRuntimeException());
        }
        return Uni.createFrom().item(() -> response(status()));
    }

    /** The status now, then each change, looked at every second. */
    @Override
    public Multi<HealthCheckResponse> watch(HealthCheckRequest request) {
        if (!SERVICES.contains(request.getService())) {
            return Multi.createFrom().item(HealthCheckResponse.newBuilder().setStatusValue(SERVICE_UNKNOWN).build());
        }
        return Multi.createFrom().ticks().startingAfter(Duration.ZERO).every(WATCH_EVERY)
                .map(tick -> status()).skip().repetitions().map(GrpcHealth::response);
    }

    private ServingStatus status() {
        return readiness.call().getStatus() == org.eclipse.microprofile.health.HealthCheckResponse.Status.UP
                ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    }

    private static HealthCheckResponse response(ServingStatus status) {
        return HealthCheckResponse.newBuilder().setStatus(status).build();
    }
}
