package io.un0.scheduler.policy;

import io.un0.routing.LeastLoadedPolicy;
import io.un0.routing.RoutingPolicy;
import io.un0.scheduler.SchedulerConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The routing policy that {@code un0.scheduler.policy} names. A new policy is one more entry in {@link #KNOWN}. */
@Singleton
public class RoutingPolicyProducer {

    private static final Map<String, Supplier<RoutingPolicy>> KNOWN = new TreeMap<>(Map.of(
            "least-loaded", LeastLoadedPolicy::new));

    @Produces
    @Singleton
    RoutingPolicy policy(SchedulerConfig config) {
        return named(config.policy());
    }

    /** @throws IllegalArgumentException listing the known names when the name is none of them */
    public static RoutingPolicy named(String name) {
        Supplier<RoutingPolicy> policy = KNOWN.get(name);
        if (policy == null) {
            throw new IllegalArgumentException("un0.scheduler.policy: unknown routing policy '" + name + "'; known: "
                    + String.join(", ", KNOWN.keySet()));
        }
        return policy.get();
    }
}
