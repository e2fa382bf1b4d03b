package io.un0.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operators' power caps in watts, per site and per pool. A pool may draw the least of its own cap and what its
 * site's cap leaves it: a site's budget first pays every pool's idle draw, then goes to its pools most efficient
 * first, so that a tight site runs its cheapest joules. Absent: no cap.
 */
public record PowerBudgets(Map<String, Double> sites, Map<String, Double> pools) {

    public static final PowerBudgets NONE = new PowerBudgets(Map.of(), Map.of());

    public PowerBudgets {
        sites = Map.copyOf(sites);
        pools = Map.copyOf(pools);
        sites.forEach(PowerBudgets::check);
        pools.forEach(PowerBudgets::check);
    }

    private static void check(String name, Double watts) {
        if (!(watts >= 0) || watts.isInfinite()) {
            throw new IllegalArgumentException("budget of " + name + " must be finite watts ≥ 0, got " + watts);
        }
    }

    public PowerBudgets withPool(String pool, double watts) {
        Map<String, Double> next = new LinkedHashMap<>(pools);
        next.put(pool, watts);
        return new PowerBudgets(sites, next);
    }

    /** The same pools, each with the watts it may draw. */
    public List<PoolView> apply(List<PoolView> views) {
        Map<String, List<PoolView>> bySite = new LinkedHashMap<>();
        for (PoolView p : views) {
            PoolView capped = p.withBudget(pools.getOrDefault(p.pool(), Double.POSITIVE_INFINITY));
            bySite.computeIfAbsent(p.site(), s -> new ArrayList<>()).add(capped);
        }
        Map<String, PoolView> budgeted = new LinkedHashMap<>();
        bySite.forEach((site, members) -> {
            Double siteWatts = sites.get(site);
            if (siteWatts == null) {
                members.forEach(p -> budgeted.put(p.pool(), p));
                return;
            }
            double left = siteWatts - members.stream().mapToDouble(PoolView::idleWatts).sum();
            List<PoolView> efficientFirst = new ArrayList<>(members);
            efficientFirst.sort(Comparator.comparingDouble(PowerBudgets::bestJoulesPerEval).thenComparing(PoolView::pool));
            for (PoolView p : efficientFirst) {
                double dynamic = Math.max(0, Math.min(left, Math.min(p.budgetWatts(), maxWatts(p)) - p.idleWatts()));
                left -= dynamic;
                budgeted.put(p.pool(), p.withBudget(p.idleWatts() + dynamic));
            }
        });
        return views.stream().map(p -> budgeted.get(p.pool())).toList();
    }

    private static double bestJoulesPerEval(PoolView p) {
        return p.rates().values().stream().mapToDouble(Rate::joulesPerEval).min().orElse(Double.POSITIVE_INFINITY);
    }

    private static double maxWatts(PoolView p) {
        return p.rates().values().stream().mapToDouble(Rate::fullWatts).max().orElse(p.idleWatts());
    }
}
