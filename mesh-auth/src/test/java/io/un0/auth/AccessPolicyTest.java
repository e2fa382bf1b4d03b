package io.un0.auth;

import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A method's rule wins over its service's; a service nobody named is closed. */
class AccessPolicyTest {

    private final AccessPolicy policy = AccessPolicy.builder().open("grpc.health.v1.Health")
            .service("un0.v1.Quotas", Role.OPERATOR).method("un0.v1.Quotas/GetUsage", Role.CLIENT, Role.OPERATOR)
            .service("inference.GRPCInferenceService", Role.CLIENT).openMethod("inference.GRPCInferenceService/ServerLive").build();
    private final Caller client = new Caller("alice", "tenant-a", Set.of(Role.CLIENT), Caller.Mechanism.BEARER_TOKEN);

    @Test
    void methodsAreJudgedByTheirOwnRuleThenTheirServices() {
        assertTrue(policy.access("grpc.health.v1.Health/Check").orElseThrow().open());
        assertFalse(policy.access("un0.v1.Quotas/SetQuota").orElseThrow().allows(client));
        assertTrue(policy.access("un0.v1.Quotas/GetUsage").orElseThrow().allows(client));
        assertTrue(policy.access("un0.v1.Unlisted/Anything").isEmpty());
        assertTrue(policy.access("inference.GRPCInferenceService/ServerLive").orElseThrow().open());
        assertFalse(policy.access("inference.GRPCInferenceService/ModelInfer").orElseThrow().open());
    }
}
