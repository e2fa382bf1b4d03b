package io.un0.scheduler.access;

import io.un0.auth.Caller;
import io.un0.auth.Role;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fleet is for operators only: a client's token cannot set a site's budget to 0 W. Health stays open for probes. */
class SchedulerCallersTest {

    private static final Caller CLIENT = new Caller("alice", "tenant-a", Set.of(Role.CLIENT), Caller.Mechanism.BEARER_TOKEN);
    private static final Caller OPERATOR = new Caller("ops", "operators", Set.of(Role.OPERATOR), Caller.Mechanism.BEARER_TOKEN);

    @Test
    void onlyOperatorsCallFleet() {
        for (String method : new String[] {"un0.v1.Fleet/SetBudget", "un0.v1.Fleet/ClearBudget", "un0.v1.Fleet/ListPools"}) {
            assertFalse(SchedulerCallers.POLICY.access(method).orElseThrow().allows(CLIENT), method);
            assertTrue(SchedulerCallers.POLICY.access(method).orElseThrow().allows(OPERATOR), method);
        }
        assertTrue(SchedulerCallers.POLICY.access("grpc.health.v1.Health/Check").orElseThrow().open());
    }
}
