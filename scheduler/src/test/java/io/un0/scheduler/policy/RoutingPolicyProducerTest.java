package io.un0.scheduler.policy;

import io.un0.routing.CarbonAwarePolicy;
import io.un0.routing.LeastLoadedPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoutingPolicyProducerTest {

    @Test
    void choosesThePolicyByName() {
        assertInstanceOf(LeastLoadedPolicy.class, RoutingPolicyProducer.named("least-loaded", CarbonAwarePolicy.Settings.DEFAULT));
        assertInstanceOf(CarbonAwarePolicy.class, RoutingPolicyProducer.named("carbon-aware", CarbonAwarePolicy.Settings.DEFAULT));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutingPolicyProducer.named("greenest", CarbonAwarePolicy.Settings.DEFAULT));
        assertEquals("un0.scheduler.policy: unknown routing policy 'greenest'; known: carbon-aware, least-loaded", e.getMessage());
    }
}
