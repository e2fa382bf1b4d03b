package io.un0.scheduler.policy;

import io.un0.routing.CarbonAwarePolicy;
import io.un0.routing.LeastLoadedPolicy;
import io.un0.routing.RoutingPolicy;
import io.un0.scheduler.SchedulerConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The routing policy that {@code un0.scheduler.policy} names. A new policy is one more entry in {@link #KNOWN}. */
@Singleton
public class RoutingPolicyProducer {

    private static final Map<String, Function<CarbonAwarePolicy.Settings, RoutingPolicy>> KNOWN = new TreeMap<>(Map.of(
            "carbon-aware", CarbonAwarePolicy::new,
            "least-loaded", settings -> new LeastLoadedPolicy()));

    @Produces
    @Singleton
    RoutingPolicy policy(SchedulerConfig config, CarbonAwareConfig carbonAware) {
        return named(config.policy(), carbonAware.settings());
    }

    /**
     * @param carbonAware the carbon-aware policy's settings; the others take none
     * @throws IllegalArgumentException listing the known names when the name is none of them
     */
    public static RoutingPolicy named(String name, CarbonAwarePolicy.Settings carbonAware) {
        Function<CarbonAwarePolicy.Settings, RoutingPolicy> policy = KNOWN.get(name);
        if (policy == null) {
            throw new IllegalArgumentException("un0.scheduler.policy: unknown routing policy '" + name + "'; known: "
                    + String.join(", ", KNOWN.keySet()));
        }
        return policy.apply(carbonAware);
    }
}
