package io.un0.scheduler.budget;

import io.un0.proto.Violation;
import io.un0.proto.v1.BudgetScope;
import io.un0.proto.v1.PowerBudget;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BudgetRulesTest {

    private static PowerBudget.Builder site(String name, double watts) {
        return PowerBudget.newBuilder().setScope(BudgetScope.BUDGET_SCOPE_SITE).setName(name).setWatts(watts).setSetBy("ops");
    }

    private static List<String> fields(List<Violation> violations) {
        return violations.stream().map(Violation::field).toList();
    }

    @Test
    void aSaneBudgetPasses() {
        assertEquals(List.of(), BudgetRules.budget(site("berlin-roof.2_a", 1500).build()));
        assertEquals(List.of(), BudgetRules.budget(site("s", 0).build()));
        assertEquals(List.of(), BudgetRules.budget(site("s", BudgetRules.MAX_WATTS).build()));
    }

    @Test
    void scopeMustBeSiteOrPool() {
        List<Violation> unspecified = BudgetRules.budget(site("s", 1).setScope(BudgetScope.BUDGET_SCOPE_UNSPECIFIED).build());
        assertEquals(List.of("scope"), fields(unspecified));
        assertTrue(unspecified.get(0).description().contains("BUDGET_SCOPE_SITE"), unspecified.toString());
        assertEquals(List.of("scope"), fields(BudgetRules.budget(site("s", 1).setScopeValue(9).build())));
    }

    @Test
    void nameIsRequiredAndUsesThePoolCharset() {
        assertEquals(List.of("name"), fields(BudgetRules.budget(site("", 1).build())));
        List<Violation> upper = BudgetRules.budget(site("Berlin Roof", 1).build());
        assertEquals(List.of("name"), fields(upper));
        assertTrue(upper.get(0).description().contains("'Berlin Roof'"), upper.toString());
        assertEquals(List.of("name"), fields(BudgetRules.budget(site("site/x", 1).build())));
        assertEquals(List.of("name"), fields(BudgetRules.budget(site("a".repeat(BudgetRules.MAX_NAME + 1), 1).build())));
    }

    @Test
    void wattsMustBeFiniteNonNegativeAndSane() {
        for (double w : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 12_000_000}) {
            List<Violation> v = BudgetRules.budget(site("s", w).build());
            assertEquals(List.of("watts"), fields(v), "watts " + w);
        }
        assertTrue(BudgetRules.budget(site("s", 12_000_000).build()).get(0).description().contains("10 MW"));
    }

    @Test
    void everyFieldToBlameIsNamedAtOnce() {
        List<Violation> v = BudgetRules.budget(PowerBudget.newBuilder().setName("X").setWatts(-2)
                .setSetBy("o".repeat(BudgetRules.MAX_SET_BY + 1)).setReason("r".repeat(BudgetRules.MAX_REASON + 1)).build());
        assertEquals(List.of("scope", "name", "watts", "set_by", "reason"), fields(v));
    }

    @Test
    void keysReadBothWays() throws Exception {
        BudgetKey site = BudgetKey.parse("site/berlin-roof");
        assertEquals(new BudgetKey(BudgetScope.BUDGET_SCOPE_SITE, "berlin-roof"), site);
        assertEquals("site/berlin-roof", site.toString());
        assertEquals("pool/edge-es", BudgetKey.parse("pool/edge-es").toString());
        assertTrue(site.compareTo(BudgetKey.parse("pool/a")) < 0, "sites order before pools");
        for (String bad : new String[] {"berlin", "region/es", "site/", "pool/Edge", "/x"}) {
            UnreadableBudgetException e = assertThrows(UnreadableBudgetException.class, () -> BudgetKey.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertThrows(UnreadableBudgetException.class, () -> BudgetKey.parse(null));
        InvalidBudgetException invalid = assertThrows(InvalidBudgetException.class,
                () -> new BudgetKey(BudgetScope.BUDGET_SCOPE_UNSPECIFIED, ""));
        assertEquals(List.of("scope", "name"), fields(invalid.violations()));
    }
}
