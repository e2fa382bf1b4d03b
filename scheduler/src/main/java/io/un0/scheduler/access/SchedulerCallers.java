package io.un0.scheduler.access;

import io.quarkus.grpc.GlobalInterceptor;
import io.un0.auth.AccessPolicy;
import io.un0.auth.AuthConfig;
import io.un0.auth.CallerInterceptor;
import io.un0.auth.Role;
import jakarta.inject.Singleton;

/**
 * Who may call what on the scheduler: Fleet (power budgets, the fleet and grid as routing sees them) is for
 * operators only; health and reflection are open. The caller comes from its credential ({@code un0.auth.*}).
 */
@Singleton
@GlobalInterceptor
public class SchedulerCallers extends CallerInterceptor {

    static final AccessPolicy POLICY = AccessPolicy.builder()
            .openHealthAndReflection()
            .service("un0.v1.Fleet", Role.OPERATOR)
            .build();

    public SchedulerCallers(AuthConfig config) {
        super(config, POLICY);
    }
}
