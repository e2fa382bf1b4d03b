package io.un0.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which roles may call which gRPC method: a rule for a method wins over its service's. A method of a service not
 * named here is refused to everyone, so a service added later is closed until someone opens it.
 */
public final class AccessPolicy {

    /** Who may call: anyone, even unauthenticated (health, reflection), or a caller with one of {@code roles}. */
    public record Access(boolean open, Set<Role> roles) {

        public boolean allows(Caller caller) {
            return open || roles.stream().anyMatch(caller::has);
        }
    }

    private final Map<String, Access> byService;
    private final Map<String, Access> byMethod;

    private AccessPolicy(Map<String, Access> byService, Map<String, Access> byMethod) {
        this.byService = Map.copyOf(byService);
        this.byMethod = Map.copyOf(byMethod);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @param fullMethodName as gRPC names it, {@code un0.v1.Generator/Generate} */
    public Optional<Access> access(String fullMethodName) {
        Access method = byMethod.get(fullMethodName);
        if (method != null) {
            return Optional.of(method);
        }
        int slash = fullMethodName.indexOf('/');
        return Optional.ofNullable(byService.get(slash < 0 ? fullMethodName : fullMethodName.substring(0, slash)));
    }

    public static final class Builder {
        private final Map<String, Access> byService = new HashMap<>();
        private final Map<String, Access> byMethod = new HashMap<>();

        /** Every method of {@code service} is open to anyone. */
        public Builder open(String service) {
            byService.put(service, new Access(true, Set.of()));
            return this;
        }

        /** Health checks and reflection, which probes and tools call before they have any credential. */
        public Builder openHealthAndReflection() {
            return open("grpc.health.v1.Health").open("grpc.reflection.v1.ServerReflection").open("grpc.reflection.v1alpha.ServerReflection");
        }

        public Builder service(String service, Role... anyOf) {
            byService.put(service, new Access(false, Set.of(anyOf)));
            return this;
        }

        /** @param fullMethodName {@code service/method} */
        public Builder method(String fullMethodName, Role... anyOf) {
            byMethod.put(fullMethodName, new Access(false, Set.of(anyOf)));
            return this;
        }

        /** One method of a service is open to anyone, whoever its other methods are for. */
        public Builder openMethod(String fullMethodName) {
            byMethod.put(fullMethodName, new Access(true, Set.of()));
            return this;
        }

        public AccessPolicy build() {
            return new AccessPolicy(byService, byMethod);
        }
    }
}
