package io.un0.scheduler.budget;

import io.un0.proto.v1.BudgetScope;
import io.un0.proto.v1.PowerBudget;
import io.un0.routing.PowerBudgets;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BudgetTableTest {

    private static PowerBudget budget(BudgetScope scope, String name, double watts) {
        return PowerBudget.newBuilder().setScope(scope).setName(name).setWatts(watts).setSetBy("ops").build();
    }

    private static final PowerBudget SITE = budget(BudgetScope.BUDGET_SCOPE_SITE, "roof", 400);
    private static final PowerBudget POOL = budget(BudgetScope.BUDGET_SCOPE_POOL, "edge-es", 120);

    @Test
    void latestRecordPerKeyIsTheCapAndATombstoneRemovesIt() throws Exception {
        BudgetTable t = BudgetTable.EMPTY.apply("pool/edge-es", POOL.toByteArray()).apply("site/roof", SITE.toByteArray());
        assertEquals(List.of(SITE, POOL), t.list(), "sites first");
        assertEquals(new PowerBudgets(Map.of("roof", 400.0), Map.of("edge-es", 120.0)), t.powerBudgets());

        PowerBudget lower = budget(BudgetScope.BUDGET_SCOPE_SITE, "roof", 150);
        t = t.apply("site/roof", lower.toByteArray());
        assertEquals(Map.of("roof", 150.0), t.powerBudgets().sites());

        t = t.apply("site/roof", null);
        assertEquals(List.of(POOL), t.list());
        assertEquals(Map.of(), t.powerBudgets().sites());
        assertEquals(t, t.apply("site/never-set", null), "a tombstone for a key never set changes nothing");
    }

    @Test
    void sameNameInBothScopesAreTwoCaps() throws Exception {
        BudgetTable t = BudgetTable.EMPTY.apply("site/x", budget(BudgetScope.BUDGET_SCOPE_SITE, "x", 10).toByteArray())
                .apply("pool/x", budget(BudgetScope.BUDGET_SCOPE_POOL, "x", 5).toByteArray())
                .apply("pool/x", null);
        assertEquals(new PowerBudgets(Map.of("x", 10.0), Map.of()), t.powerBudgets());
    }

    @Test
    void unreadableRecordsAreRefusedWithTheirReasonAndChangeNothing() throws Exception {
        BudgetTable t = BudgetTable.EMPTY.apply("site/roof", SITE.toByteArray());
        assertRefused(t, "roof", SITE.toByteArray(), "neither site/<name> nor pool/<name>");
        assertRefused(t, null, SITE.toByteArray(), "no key");
        assertRefused(t, "pool/Edge ES", null, "a-z 0-9");
        assertRefused(t, "site/roof", "not protobuf".getBytes(StandardCharsets.UTF_8), "not an un0.v1.PowerBudget");
        assertRefused(t, "pool/roof", SITE.toByteArray(), "does not match");
        assertRefused(t, "site/roof", budget(BudgetScope.BUDGET_SCOPE_SITE, "roof", -5).toByteArray(), "watts: -5.0 is negative");
        assertRefused(t, "site/roof", budget(BudgetScope.BUDGET_SCOPE_SITE, "roof", Double.NaN).toByteArray(), "watts: NaN");
    }

    private static void assertRefused(BudgetTable t, String key, byte[] value, String reason) {
        UnreadableBudgetException e = assertThrows(UnreadableBudgetException.class, () -> t.apply(key, value), key);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertEquals(List.of(SITE), t.list());
    }
}
