package io.un0.scheduler.budget;

import io.un0.proto.Violation;
import io.un0.proto.v1.BudgetScope;
import io.un0.proto.v1.PowerBudget;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** A budget's record key on the topic: {@code site/<name>} or {@code pool/<name>}. Sites order before pools. */
public record BudgetKey(BudgetScope scope, String name) implements Comparable<BudgetKey> {

    private static final Comparator<BudgetKey> ORDER = Comparator.comparingInt((BudgetKey k) -> k.scope().getNumber())
            .thenComparing(BudgetKey::name);

    public BudgetKey {
        List<Violation> wrong = BudgetRules.key(scope, name);
        if (!wrong.isEmpty()) {
            throw new InvalidBudgetException(wrong);
        }
    }

    public static BudgetKey of(PowerBudget b) {
        return new BudgetKey(b.getScope(), b.getName());
    }

    /** @throws UnreadableBudgetException naming what is wrong with the key */
    public static BudgetKey parse(String key) throws UnreadableBudgetException {
        if (key == null) {
            throw new UnreadableBudgetException("the record has no key; budgets are keyed site/<name> or pool/<name>");
        }
        int slash = key.indexOf('/');
        BudgetScope scope = switch (slash < 0 ? "" : key.substring(0, slash)) {
            case "site" -> BudgetScope.BUDGET_SCOPE_SITE;
            case "pool" -> BudgetScope.BUDGET_SCOPE_POOL;
            default -> throw new UnreadableBudgetException("key '" + key + "' is neither site/<name> nor pool/<name>");
        };
        try {
            return new BudgetKey(scope, key.substring(slash + 1));
        } catch (InvalidBudgetException e) {
            throw new UnreadableBudgetException("key '" + key + "': " + e.violations().stream().map(Violation::description)
                    .collect(Collectors.joining("; ")));
        }
    }

    @Override
    public String toString() {
        return (scope == BudgetScope.BUDGET_SCOPE_SITE ? "site/" : "pool/") + name;
    }

    @Override
    public int compareTo(BudgetKey other) {
        return ORDER.compare(this, other);
    }
}
