package io.un0.sim.optimum;

import java.util.List;

/**
 * The best any scheduler could do knowing the whole future, for divisible work: the min-cost max-flow from demands
 * to (pool, hour) slots. As many images as possible are served; among the placements that serve that many, the one
 * with the fewest grams is returned. Exact up to floating-point tolerance.
 *
 * <p>Slots are filled cheapest first, each as far as the work already placed allows, moving earlier work to other
 * slots in its window where that makes room; see {@link CheapestSlotsFirst}. When capacity is short, which demands
 * end up unserved is one of the optimal choices; the total served and the grams are what is optimal.
 */
public final class OfflineOptimum {

    /** {@link Demand#allowedPools()} is a {@code long}, one bit per pool. */
    private static final int MAX_POOLS = Long.SIZE;

    private OfflineOptimum() {
    }

    /**
     * @param cost      grams CO2e per image run in pool p during hour h, as {@code cost[p][h]}; finite, &gt;= 0
     * @param capacity  images pool p can run in hour h, as {@code capacity[p][h]}; finite, &gt;= 0
     * @param demands   the work, each within the horizon and naming only existing pools
     * @throws IllegalArgumentException naming the first offending input
     */
    public static Placement solve(double[][] cost, double[][] capacity, List<Demand> demands) {
        validate(cost, capacity, demands);
        int pools = cost.length;
        int hours = cost[0].length;
        CheapestSlotsFirst fill = new CheapestSlotsFirst(cost, capacity, demands);
        fill.run();
        double[] unserved = new double[demands.size()];
        for (int d = 0; d < unserved.length; d++) {
            unserved[d] = fill.unserved(d);
        }
        double[][] images = new double[pools][hours];
        double grams = 0;
        double served = 0;
        for (int p = 0; p < pools; p++) {
            for (int h = 0; h < hours; h++) {
                double placed = fill.load(p, h);
                images[p][h] = placed;
                grams += cost[p][h] * placed;
                served += placed;
            }
        }
        return new Placement(images, unserved, grams, served);
    }

    private static void validate(double[][] cost, double[][] capacity, List<Demand> demands) {
        if (cost == null || capacity == null || demands == null) {
            throw new IllegalArgumentException("cost, capacity and demands must not be null");
        }
        if (cost.length == 0) {
            throw new IllegalArgumentException("cost has no pools; at least one is required");
        }
        if (cost.length > MAX_POOLS) {
            throw new IllegalArgumentException(
                    "cost has " + cost.length + " pools but at most " + MAX_POOLS + " fit a Demand's allowedPools mask");
        }
        if (capacity.length != cost.length) {
            throw new IllegalArgumentException(
                    "cost has " + cost.length + " pools but capacity has " + capacity.length);
        }
        if (cost[0] == null) {
            throw new IllegalArgumentException("cost[0] is null");
        }
        int hours = cost[0].length;
        checkRows("cost", cost, hours);
        checkRows("capacity", capacity, hours);
        for (int d = 0; d < demands.size(); d++) {
            Demand demand = demands.get(d);
            if (demand == null) {
                throw new IllegalArgumentException("demands[" + d + "] is null");
            }
            if (demand.lastHour() >= hours) {
                throw new IllegalArgumentException("demands[" + d + "] window " + demand.firstHour() + ".."
                        + demand.lastHour() + " runs past the horizon 0.." + (hours - 1));
            }
            int highestPool = MAX_POOLS - 1 - Long.numberOfLeadingZeros(demand.allowedPools());
            if (highestPool >= cost.length) {
                throw new IllegalArgumentException("demands[" + d + "] allows pool " + highestPool
                        + " but there are only " + cost.length + " pools");
            }
        }
    }

    private static void checkRows(String name, double[][] rows, int hours) {
        for (int p = 0; p < rows.length; p++) {
            if (rows[p] == null) {
                throw new IllegalArgumentException(name + "[" + p + "] is null");
            }
            if (rows[p].length != hours) {
                throw new IllegalArgumentException(
                        name + "[" + p + "] has " + rows[p].length + " hours but cost[0] has " + hours);
            }
            for (int h = 0; h < hours; h++) {
                double v = rows[p][h];
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException(
                            name + "[" + p + "][" + h + "] = " + v + " must be finite and >= 0");
                }
            }
        }
    }
}
