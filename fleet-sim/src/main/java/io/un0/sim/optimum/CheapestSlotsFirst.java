package io.un0.sim.optimum;

import java.util.Arrays;
import java.util.List;

/**
 * Min-cost max-flow from demands to (pool, hour) slots when an arc's cost depends only on its slot.
 *
 * <p>Why filling the cheapest slots first is exact: for a set of slots, the most images that can run in them is a
 * submodular function of the set (a polymatroid induced through the bipartite demand–slot graph). So taking slots
 * in ascending cost and filling each as far as the flow already in cheaper slots allows yields a maximum flow of
 * least cost (Edmonds' greedy algorithm). Filling one slot as far as possible is max-flow augmentation into that
 * slot alone, and it never lowers the load of a cheaper slot. An augmenting path runs backward from the slot to a
 * demand with images left: s ← D<sub>k</sub> (takes s, hands over s<sub>k</sub>) ← D<sub>k−1</sub> (takes
 * s<sub>k</sub>) ← … ← D<sub>0</sub> (has images left). Costs only order the slots; the search ignores them.
 *
 * <p>The search is ISAP-like. Every demand and slot carries a label, a lower bound on the hops from it to a demand
 * with images left; a depth-first walk follows arcs that lower the label by one and relabels where it is stuck, so
 * with good labels it walks straight down a shortest path. A breadth-first global relabel from every demand with
 * images left makes the labels exact again; it runs whenever the walks since the last one have cost as much as it
 * did, which keeps it to about half the total work. It also finds the demands and slots that can no longer reach images
 * left: once no such path exists from a set closed under the arcs, no augmentation can enter it and change that,
 * so they are finished for good and fail at once.
 */
final class CheapestSlotsFirst {

    /** Label of a node from which no demand with images left can be reached, now or later. */
    private static final int UNREACHABLE = Integer.MAX_VALUE;
    /** Transient label during a global relabel. */
    private static final int UNLABELLED = UNREACHABLE - 1;

    private final int pools;
    private final double[] cost;
    private final double[] capacity;
    private final double[] load;
    private final double[] left;
    private final int[] firstHour;
    private final int[] lastHour;
    private final long[] allowedPools;
    /** Per hour, the demands whose window contains it: the arcs into each slot of that hour, before the pool check. */
    private final int[][] covering;
    private final Holdings holdings;

    private final int[] demandLabel;
    private final int[] slotLabel;
    /** Current-arc pointers, as in ISAP: arcs before them were not admissible when last looked at. */
    private final int[] demandArc;
    private final int[] slotArc;
    /** The path being walked: slot, demand, slot, demand, … from the slot being filled. */
    private int[] path = new int[16];
    private int pathLength;

    private long workSinceRelabel;
    private long relabelWork;
    private final int[] demandQueue;
    private final int[] slotQueue;
    private final long[] poolsLabelled;

    /** Flows within this are treated as zero; relative to the largest demand so big workloads round the same way. */
    private final double tol;

    CheapestSlotsFirst(double[][] cost, double[][] capacity, List<Demand> demands) {
        pools = cost.length;
        int hours = cost[0].length;
        int slots = pools * hours;
        int n = demands.size();
        this.cost = new double[slots];
        this.capacity = new double[slots];
        load = new double[slots];
        // Hour-major, so the slots of one hour sit together.
        for (int h = 0; h < hours; h++) {
            for (int p = 0; p < pools; p++) {
                this.cost[h * pools + p] = cost[p][h];
                this.capacity[h * pools + p] = capacity[p][h];
            }
        }
        left = new double[n];
        firstHour = new int[n];
        lastHour = new int[n];
        allowedPools = new long[n];
        int[] perHour = new int[hours];
        double largest = 1;
        for (int d = 0; d < n; d++) {
            Demand demand = demands.get(d);
            left[d] = demand.images();
            firstHour[d] = demand.firstHour();
            lastHour[d] = demand.lastHour();
            allowedPools[d] = demand.allowedPools();
            largest = Math.max(largest, demand.images());
            for (int h = firstHour[d]; h <= lastHour[d]; h++) {
                perHour[h]++;
            }
        }
        tol = 1e-9 * largest;
        covering = new int[hours][];
        for (int h = 0; h < hours; h++) {
            covering[h] = new int[perHour[h]];
            perHour[h] = 0;
        }
        for (int d = 0; d < n; d++) {
            for (int h = firstHour[d]; h <= lastHour[d]; h++) {
                covering[h][perHour[h]++] = d;
            }
        }
        holdings = new Holdings(n, slots);
        // Every demand starts with images left, so 0 and 1 are exact for demands and valid for slots.
        demandLabel = new int[n];
        slotLabel = new int[slots];
        Arrays.fill(slotLabel, 1);
        demandArc = new int[n];
        slotArc = new int[slots];
        relabelWork = n + slots;
        demandQueue = new int[n];
        slotQueue = new int[slots];
        poolsLabelled = new long[hours];
    }

    void run() {
        SlotHeap cheapest = new SlotHeap(cost);
        for (int s = 0; s < cost.length; s++) {
            if (capacity[s] > tol) {
                cheapest.push(s);
            }
        }
        while (!cheapest.isEmpty()) {
            int s = cheapest.pop();
            while (capacity[s] - load[s] > tol && findPath(s)) {
                augment();
            }
        }
    }

    /** Images of demand {@code d} that fit nowhere; meaningful after {@link #run()}. */
    double unserved(int d) {
        return left[d];
    }

    /** Images run in pool {@code p} during hour {@code h}. */
    double load(int p, int h) {
        return load[h * pools + p];
    }

    /** Walks from slot {@code s} to a demand with images left, leaving the path in {@link #path}; false if none can be reached. */
    private boolean findPath(int s) {
        if (slotLabel[s] == UNREACHABLE) {
            return false;
        }
        pathLength = 0;
        append(s);
        while (true) {
            if (workSinceRelabel > relabelWork) {
                relabelAll();
                if (slotLabel[s] == UNREACHABLE) {
                    return false;
                }
                // The labels moved, so the path walked so far may no longer be admissible.
                pathLength = 1;
            }
            int top = path[pathLength - 1];
            if ((pathLength & 1) == 1) {
                int demand = admissibleDemand(top);
                if (demand >= 0) {
                    append(demand);
                    if (left[demand] > tol) {
                        return true;
                    }
                    continue;
                }
                slotLabel[top] = relabelSlot(top);
                if (pathLength == 1) {
                    if (slotLabel[top] == UNREACHABLE) {
                        return false;
                    }
                } else {
                    pathLength--;
                }
            } else {
                int slot = admissibleSlot(top);
                if (slot >= 0) {
                    append(slot);
                    continue;
                }
                demandLabel[top] = relabelDemand(top);
                pathLength--;
            }
        }
    }

    /** A demand that could take {@code slot} and is one hop nearer to images left, or −1. */
    private int admissibleDemand(int slot) {
        int want = slotLabel[slot] - 1;
        int pool = slot % pools;
        int[] demands = covering[slot / pools];
        for (int i = slotArc[slot]; i < demands.length; i++) {
            workSinceRelabel++;
            int d = demands[i];
            if (demandLabel[d] == want && (allowedPools[d] >>> pool & 1) != 0) {
                slotArc[slot] = i;
                return d;
            }
        }
        return -1;
    }

    /** A slot {@code demand} could hand over that is one hop nearer to images left, or −1. */
    private int admissibleSlot(int demand) {
        int want = demandLabel[demand] - 1;
        for (int i = demandArc[demand], n = holdings.slotCount(demand); i < n; i++) {
            workSinceRelabel++;
            int s = holdings.slot(demand, i);
            if (slotLabel[s] == want) {
                demandArc[demand] = i;
                return s;
            }
        }
        return -1;
    }

    private int relabelSlot(int slot) {
        int pool = slot % pools;
        int lowest = UNREACHABLE;
        for (int d : covering[slot / pools]) {
            workSinceRelabel++;
            if ((allowedPools[d] >>> pool & 1) != 0) {
                lowest = Math.min(lowest, demandLabel[d]);
            }
        }
        slotArc[slot] = 0;
        return lowest == UNREACHABLE ? UNREACHABLE : lowest + 1;
    }

    private int relabelDemand(int demand) {
        int lowest = UNREACHABLE;
        for (int i = 0, n = holdings.slotCount(demand); i < n; i++) {
            workSinceRelabel++;
            lowest = Math.min(lowest, slotLabel[holdings.slot(demand, i)]);
        }
        demandArc[demand] = 0;
        return lowest == UNREACHABLE ? UNREACHABLE : lowest + 1;
    }

    /** Exact labels by breadth-first search backward from every demand with images left. */
    private void relabelAll() {
        long work = 0;
        int demands = 0;
        for (int d = 0; d < left.length; d++) {
            if (demandLabel[d] == UNREACHABLE) {
                continue;
            }
            if (left[d] > tol) {
                demandLabel[d] = 0;
                demandQueue[demands++] = d;
            } else {
                demandLabel[d] = UNLABELLED;
            }
        }
        Arrays.fill(slotLabel, UNLABELLED);
        Arrays.fill(poolsLabelled, 0);
        int demandHead = 0;
        int slots = 0;
        int slotHead = 0;
        // Demand labels are even and slot labels odd, so alternating whole levels keeps the search breadth-first.
        while (demandHead < demands) {
            for (int end = demands; demandHead < end; demandHead++) {
                int d = demandQueue[demandHead];
                int label = demandLabel[d] + 1;
                for (int h = firstHour[d]; h <= lastHour[d]; h++) {
                    // A slot takes the label of the first demand to reach it; skipping pools already labelled this
                    // hour makes the pass cost one step per demand-hour rather than per demand-slot.
                    long fresh = allowedPools[d] & ~poolsLabelled[h];
                    poolsLabelled[h] |= fresh;
                    work++;
                    for (long m = fresh; m != 0; m &= m - 1) {
                        int s = h * pools + Long.numberOfTrailingZeros(m);
                        slotLabel[s] = label;
                        slotQueue[slots++] = s;
                    }
                }
            }
            for (int end = slots; slotHead < end; slotHead++) {
                int s = slotQueue[slotHead];
                int label = slotLabel[s] + 1;
                for (int i = 0, n = holdings.holderCount(s); i < n; i++) {
                    work++;
                    int d = holdings.holder(s, i);
                    if (demandLabel[d] == UNLABELLED) {
                        demandLabel[d] = label;
                        demandQueue[demands++] = d;
                    }
                }
            }
        }
        for (int d = 0; d < left.length; d++) {
            if (demandLabel[d] == UNLABELLED) {
                demandLabel[d] = UNREACHABLE;
            }
        }
        for (int s = 0; s < slotLabel.length; s++) {
            if (slotLabel[s] == UNLABELLED) {
                slotLabel[s] = UNREACHABLE;
            }
        }
        Arrays.fill(demandArc, 0);
        Arrays.fill(slotArc, 0);
        relabelWork = Math.max(work, left.length + slotLabel.length);
        workSinceRelabel = 0;
    }

    /** Pushes the bottleneck amount along the path: each demand on it takes the slot before it and hands over the next. */
    private void augment() {
        int slot = path[0];
        int source = path[pathLength - 1];
        double delta = Math.min(left[source], capacity[slot] - load[slot]);
        for (int i = 1; i + 1 < pathLength; i += 2) {
            delta = Math.min(delta, holdings.amount(path[i], path[i + 1]));
        }
        for (int i = 1; i < pathLength; i += 2) {
            holdings.add(path[i], path[i - 1], delta);
            if (i + 1 < pathLength) {
                holdings.take(path[i], path[i + 1], delta, tol);
            }
        }
        // Only the end slot's load changes: every slot inside the path swaps one holder for another.
        left[source] = left[source] - delta <= tol ? 0 : left[source] - delta;
        load[slot] = capacity[slot] - load[slot] - delta <= tol ? capacity[slot] : load[slot] + delta;
    }

    private void append(int node) {
        if (pathLength == path.length) {
            path = Arrays.copyOf(path, 2 * pathLength);
        }
        path[pathLength++] = node;
    }
}
