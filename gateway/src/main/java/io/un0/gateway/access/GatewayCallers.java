package io.un0.gateway.access;

import io.quarkus.grpc.GlobalInterceptor;
import io.un0.auth.AccessPolicy;
import io.un0.auth.AuthConfig;
import io.un0.auth.CallerInterceptor;
import io.un0.auth.Role;
import jakarta.inject.Singleton;

/**
 * Who may call what on the gateway: clients generate and manage their own batches and read their own usage;
 * operators set and read every tenant's quota; health, reflection and the Open Inference Protocol's
 * ServerLive and ServerReady are open. The caller comes from its credential
 * ({@code un0.auth.*}, see mesh-auth), before any other interceptor or the service itself runs.
 */
@Singleton
@GlobalInterceptor
public class GatewayCallers extends CallerInterceptor {

    static final AccessPolicy POLICY = AccessPolicy.builder()
            .openHealthAndReflection()
            .service("un0.v1.Generator", Role.CLIENT)
            .service("un0.v1.Batches", Role.CLIENT)
            .service("un0.v1.Quotas", Role.OPERATOR)
            .service("inference.GRPCInferenceService", Role.CLIENT)
            // The protocol's own liveness and readiness, which probes call without a credential, as they do health.
            .openMethod("inference.GRPCInferenceService/ServerLive")
            .openMethod("inference.GRPCInferenceService/ServerReady")
            .method("un0.v1.Quotas/GetUsage", Role.CLIENT, Role.OPERATOR)
            .build();

    public GatewayCallers(AuthConfig config) {
        super(config, POLICY);
    }
}
