package io.un0.scheduler.budget;

import com.google.protobuf.InvalidProtocolBufferException;
import io.un0.proto.Violation;
import io.un0.proto.v1.BudgetScope;
import io.un0.proto.v1.PowerBudget;
import io.un0.routing.PowerBudgets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The caps in force: the latest readable record per key of the budgets topic. Immutable. */
public record BudgetTable(Map<BudgetKey, PowerBudget> byKey) {

    public static final BudgetTable EMPTY = new BudgetTable(Map.of());

    public BudgetTable {
        byKey = Map.copyOf(byKey);
    }

    /**
     * The table after one record: a value sets its key's cap, a tombstone (null value) removes it.
     *
     * @throws UnreadableBudgetException when the record cannot be a cap; the table stays as it was
     */
    public BudgetTable apply(String key, byte[] value) throws UnreadableBudgetException {
        BudgetKey k = BudgetKey.parse(key);
        Map<BudgetKey, PowerBudget> next = new HashMap<>(byKey);
        if (value == null) {
            next.remove(k);
            return new BudgetTable(next);
        }
        PowerBudget b;
        try {
            b = PowerBudget.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new UnreadableBudgetException("not an un0.v1.PowerBudget: " + e.getMessage());
        }
        List<Violation> wrong = BudgetRules.budget(b);
        if (!wrong.isEmpty()) {
            throw new UnreadableBudgetException(wrong.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        }
        if (!BudgetKey.of(b).equals(k)) {
            // A cap filed under one key but naming another would be removed by the wrong tombstone.
            throw new UnreadableBudgetException("key '" + key + "' does not match the budget's scope and name ("
                    + BudgetKey.of(b) + ")");
        }
        next.put(k, b);
        return new BudgetTable(next);
    }

    /** Every cap, sites first, each by name. */
    public List<PowerBudget> list() {
        return new TreeMap<>(byKey).values().stream().toList();
    }

    /** The caps as routing takes them. */
    public PowerBudgets powerBudgets() {
        Map<String, Double> sites = new HashMap<>();
        Map<String, Double> pools = new HashMap<>();
        byKey.forEach((k, b) -> (k.scope() == BudgetScope.BUDGET_SCOPE_SITE ? sites : pools).put(k.name(), b.getWatts()));
        return new PowerBudgets(sites, pools);
    }
}
