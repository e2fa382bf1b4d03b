package io.un0.sim.optimum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OfflineOptimumTest {

    private static final double EXACT = 1e-12;

    @Test
    void oneDemandTakesTheCheapestSlot() {
        Placement placement = OfflineOptimum.solve(
                new double[][] {{3, 1}}, new double[][] {{10, 10}}, List.of(new Demand(4, 0, 1, 1)));
        assertArrayEquals(new double[] {0, 4}, placement.images()[0], EXACT);
        assertEquals(4, placement.grams(), EXACT);
        assertEquals(4, placement.servedImages(), EXACT);
        assertArrayEquals(new double[] {0}, placement.unserved(), EXACT);
    }

    @Test
    void capacityForcesASplit() {
        Placement placement = OfflineOptimum.solve(
                new double[][] {{1, 2}}, new double[][] {{3, 10}}, List.of(new Demand(5, 0, 1, 1)));
        assertArrayEquals(new double[] {3, 2}, placement.images()[0], EXACT);
        assertEquals(3 * 1 + 2 * 2, placement.grams(), EXACT);
    }

    @Test
    void anEarlierPlacementIsMovedLaterInItsWindowToMakeRoom() {
        // A takes the cheap hour 0 first; B can only run in hour 0, so A must be moved to hour 1 over the backward arc.
        List<Demand> demands = List.of(new Demand(1, 0, 1, 1), new Demand(1, 0, 0, 1));
        Placement placement = OfflineOptimum.solve(new double[][] {{1, 5}}, new double[][] {{1, 1}}, demands);
        assertArrayEquals(new double[] {1, 1}, placement.images()[0], EXACT);
        assertArrayEquals(new double[] {0, 0}, placement.unserved(), EXACT);
        assertEquals(6, placement.grams(), EXACT);
    }

    @Test
    void displacementCanChainThroughSeveralDemands() {
        // Hour 1 is cheapest and goes to A, hour 0 next and goes to B; C fits only in hour 0, so filling hour 2
        // moves A from 1 to 2, B from 0 to 1 and lets C into 0.
        List<Demand> demands = List.of(new Demand(1, 1, 2, 1), new Demand(1, 0, 1, 1), new Demand(1, 0, 0, 1));
        Placement placement = OfflineOptimum.solve(new double[][] {{2, 1, 3}}, new double[][] {{1, 1, 1}}, demands);
        assertArrayEquals(new double[] {1, 1, 1}, placement.images()[0], EXACT);
        assertArrayEquals(new double[] {0, 0, 0}, placement.unserved(), EXACT);
        assertEquals(6, placement.grams(), EXACT);
    }

    @Test
    void servingMoreComesBeforeCostingLess() {
        // A alone would sit in cheap pool 1; B may only use pool 1, so A moves to the dearer pool 0 and both run.
        List<Demand> demands = List.of(new Demand(1, 0, 0, 0b11), new Demand(1, 0, 0, 0b10));
        Placement placement = OfflineOptimum.solve(new double[][] {{9}, {1}}, new double[][] {{1}, {1}}, demands);
        assertEquals(1, placement.images()[0][0], EXACT);
        assertEquals(1, placement.images()[1][0], EXACT);
        assertEquals(10, placement.grams(), EXACT);
        assertArrayEquals(new double[] {0, 0}, placement.unserved(), EXACT);
    }

    @Test
    void residencyMasksAreRespected() {
        // Pool 0 is cheap and roomy, but the demand's data may only stay in pools 1 and 2.
        double[][] cost = {{1, 1}, {5, 4}, {7, 3}};
        double[][] capacity = {{100, 100}, {2, 2}, {2, 2}};
        Placement placement = OfflineOptimum.solve(cost, capacity, List.of(new Demand(5, 0, 1, 0b110)));
        assertArrayEquals(new double[] {0, 0}, placement.images()[0], EXACT);
        assertArrayEquals(new double[] {1, 2}, placement.images()[1], EXACT);
        assertArrayEquals(new double[] {0, 2}, placement.images()[2], EXACT);
        assertEquals(5 + 8 + 6, placement.grams(), EXACT);
    }

    @Test
    void whatDoesNotFitIsReportedUnserved() {
        Placement placement = OfflineOptimum.solve(
                new double[][] {{2, 1}}, new double[][] {{1.5, 2}}, List.of(new Demand(5, 0, 1, 1)));
        assertArrayEquals(new double[] {1.5}, placement.unserved(), EXACT);
        assertEquals(3.5, placement.servedImages(), EXACT);
        assertEquals(1.5 * 2 + 2 * 1, placement.grams(), EXACT);
    }

    @Test
    void servedAndGramsAreOptimalWhicheverDemandsGoUnserved() {
        // Hour 0 (2 images) serves A or B, hour 1 (3 images) serves B or C: 5 of the 6.5 asked fit, all slots full.
        List<Demand> demands = List.of(new Demand(2.5, 0, 0, 1), new Demand(1, 0, 1, 1), new Demand(3, 1, 1, 1));
        Placement placement = OfflineOptimum.solve(new double[][] {{2, 1}}, new double[][] {{2, 3}}, demands);
        assertEquals(5, placement.servedImages(), EXACT);
        assertEquals(2 * 2 + 3 * 1, placement.grams(), EXACT);
        assertEquals(1.5, Arrays.stream(placement.unserved()).sum(), EXACT);
        // A can only ever use hour 0.
        assertTrue(placement.unserved()[0] >= 0.5 - EXACT);
    }

    @Test
    void aPoolWithNoCapacityTakesNothing() {
        Placement placement = OfflineOptimum.solve(
                new double[][] {{0}, {2}}, new double[][] {{0}, {4}}, List.of(new Demand(3, 0, 0, 0b11)));
        assertEquals(0, placement.images()[0][0], EXACT);
        assertEquals(3, placement.images()[1][0], EXACT);
        assertEquals(6, placement.grams(), EXACT);
    }

    @Test
    void sixtyFourPoolsUseEveryBitOfTheMask() {
        double[][] cost = new double[64][1];
        double[][] capacity = new double[64][1];
        for (int p = 0; p < 64; p++) {
            cost[p][0] = 64 - p;
            capacity[p][0] = 1;
        }
        Placement placement = OfflineOptimum.solve(cost, capacity, List.of(new Demand(3, 0, 0, -1L)));
        assertEquals(1, placement.images()[63][0], EXACT);
        assertEquals(1 + 2 + 3, placement.grams(), EXACT);
    }

    @Test
    void invalidInputsAreRejectedWithTheirReason() {
        double[][] one = {{1, 1}};
        assertMessage("images must be finite and > 0, was 0.0", () -> new Demand(0, 0, 0, 1));
        assertMessage("firstHour must be >= 0, was -1", () -> new Demand(1, -1, 0, 1));
        assertMessage("lastHour 2 is before firstHour 3", () -> new Demand(1, 3, 2, 1));
        assertMessage("allowedPools is empty: the demand must allow at least one pool", () -> new Demand(1, 0, 0, 0));
        assertMessage("cost has 1 pools but capacity has 2",
                () -> OfflineOptimum.solve(one, new double[][] {{1, 1}, {1, 1}}, List.of()));
        assertMessage("capacity[0] has 3 hours but cost[0] has 2",
                () -> OfflineOptimum.solve(one, new double[][] {{1, 1, 1}}, List.of()));
        assertMessage("cost[0][1] = -0.5 must be finite and >= 0",
                () -> OfflineOptimum.solve(new double[][] {{1, -0.5}}, one, List.of()));
        assertMessage("capacity[0][0] = NaN must be finite and >= 0",
                () -> OfflineOptimum.solve(one, new double[][] {{Double.NaN, 1}}, List.of()));
        assertMessage("demands[1] window 1..2 runs past the horizon 0..1",
                () -> OfflineOptimum.solve(one, one, List.of(new Demand(1, 0, 0, 1), new Demand(1, 1, 2, 1))));
        assertMessage("demands[0] allows pool 1 but there are only 1 pools",
                () -> OfflineOptimum.solve(one, one, List.of(new Demand(1, 0, 0, 0b10))));
        assertMessage("cost has 65 pools but at most 64 fit a Demand's allowedPools mask",
                () -> OfflineOptimum.solve(new double[65][1], new double[65][1], List.of()));
        assertMessage("cost has no pools; at least one is required",
                () -> OfflineOptimum.solve(new double[0][], new double[0][], List.of()));
    }

    @Test
    void matchesAWholeGraphMinCostMaxFlowOnRandomSmallInstances() {
        Random random = new Random(7);
        for (int trial = 0; trial < 1500; trial++) {
            // Every third instance uses fractional data, the rest integer data with tied costs.
            boolean integral = trial % 3 != 0;
            int pools = 1 + random.nextInt(3);
            int hours = 1 + random.nextInt(6);
            double[][] cost = new double[pools][hours];
            double[][] capacity = new double[pools][hours];
            for (int p = 0; p < pools; p++) {
                for (int h = 0; h < hours; h++) {
                    cost[p][h] = integral ? random.nextInt(5) : 10 * random.nextDouble();
                    capacity[p][h] = integral ? random.nextInt(4) : (random.nextInt(4) == 0 ? 0 : 3 * random.nextDouble());
                }
            }
            List<Demand> demands = new ArrayList<>();
            for (int d = random.nextInt(7); d > 0; d--) {
                int first = random.nextInt(hours);
                int last = first + random.nextInt(hours - first);
                long mask = 1 + random.nextInt((1 << pools) - 1);
                demands.add(new Demand(integral ? 1 + random.nextInt(4) : 0.1 + 4 * random.nextDouble(), first, last, mask));
            }
            String instance = "trial " + trial + ": cost=" + Arrays.deepToString(cost) + " capacity="
                    + Arrays.deepToString(capacity) + " demands=" + demands;

            Placement placement = OfflineOptimum.solve(cost, capacity, demands);
            double[] reference = ReferenceFlow.minCostMaxFlow(cost, capacity, demands, null);
            assertEquals(reference[0], placement.servedImages(), 1e-6, instance);
            assertEquals(reference[1], placement.grams(), 1e-6, instance);
            assertPlacementIsFeasible(cost, capacity, demands, placement, instance);
        }
    }

    /** Slot totals within capacity, and some split of each demand's served images over its own slots yields them. */
    private static void assertPlacementIsFeasible(double[][] cost, double[][] capacity, List<Demand> demands,
                                                  Placement placement, String instance) {
        double total = 0;
        double[] served = new double[demands.size()];
        for (int d = 0; d < served.length; d++) {
            total += demands.get(d).images();
            served[d] = demands.get(d).images() - placement.unserved()[d];
            assertTrue(placement.unserved()[d] >= 0, instance);
        }
        assertEquals(total, placement.servedImages() + Arrays.stream(placement.unserved()).sum(), 1e-9, instance);
        for (int p = 0; p < cost.length; p++) {
            for (int h = 0; h < cost[p].length; h++) {
                assertTrue(placement.images()[p][h] <= capacity[p][h] + 1e-9, instance);
            }
        }
        double routable = ReferenceFlow.minCostMaxFlow(cost, placement.images(), demands, served)[0];
        assertEquals(placement.servedImages(), routable, 1e-6, instance);
    }

    @Test
    void printsTheTimeForASyntheticYear() {
        Random random = new Random(42);
        int pools = 12;
        int hours = 8760;
        double[][] cost = new double[pools][hours];
        double[][] capacity = new double[pools][hours];
        for (int p = 0; p < pools; p++) {
            // Each pool's grid follows a daily curve with its own phase (time zone) and base intensity.
            double base = 50 + 400 * random.nextDouble();
            double phase = 2 * Math.PI * random.nextDouble();
            for (int h = 0; h < hours; h++) {
                double daily = 1 + 0.4 * Math.sin(2 * Math.PI * (h % 24) / 24 + phase);
                cost[p][h] = base * daily * (0.9 + 0.2 * random.nextDouble()) / 1000;
                capacity[p][h] = random.nextInt(50) == 0 ? 0 : 150 * (0.5 + random.nextDouble());
            }
        }
        List<Demand> demands = new ArrayList<>(3 * hours);
        long allPools = (1L << pools) - 1;
        long region = (1L << (pools / 3)) - 1;
        for (int h = 0; h < hours; h++) {
            // About 80% of capacity on average, peaking above it daily: every image fits, but only by moving work
            // around, which is the hardest case for the solver.
            double busy = 0.8 * (1 + 0.5 * Math.sin(2 * Math.PI * (h % 24) / 24));
            demands.add(new Demand(busy * (300 + 600 * random.nextDouble()), h, h, allPools));
            demands.add(new Demand(busy * (600 + 1200 * random.nextDouble()), h, Math.min(hours - 1, h + 12), allPools));
            demands.add(new Demand(busy * (100 + 300 * random.nextDouble()), h, Math.min(hours - 1, h + 3), region));
        }
        long start = System.nanoTime();
        Placement placement = OfflineOptimum.solve(cost, capacity, demands);
        double seconds = (System.nanoTime() - start) / 1e9;
        double asked = demands.stream().mapToDouble(Demand::images).sum();
        System.out.printf("offline optimum, synthetic year: %d pools x %d hours, %d demands in %.2f s; "
                        + "served %.1f%% of %.3g images, %.4g g CO2e%n",
                pools, hours, demands.size(), seconds, 100 * placement.servedImages() / asked, asked,
                placement.grams());
    }

    private static void assertMessage(String message, org.junit.jupiter.api.function.Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    /**
     * An independent reference: the same problem as one min-cost max-flow over the whole graph, solved by
     * Bellman-Ford successive shortest paths from a super-source. Slow but obviously right.
     */
    private static final class ReferenceFlow {

        private final int[] head;
        private final List<int[]> arcs = new ArrayList<>(); // {from, to, reverse arc index}
        private final List<Double> room = new ArrayList<>();
        private final List<Double> price = new ArrayList<>();
        private final List<Integer> next = new ArrayList<>();

        private ReferenceFlow(int nodes) {
            head = new int[nodes];
            Arrays.fill(head, -1);
        }

        private void arc(int from, int to, double capacity, double cost) {
            add(from, to, capacity, cost);
            add(to, from, 0, -cost);
        }

        private void add(int from, int to, double capacity, double cost) {
            arcs.add(new int[] {from, to});
            room.add(capacity);
            price.add(cost);
            next.add(head[from]);
            head[from] = arcs.size() - 1;
        }

        /**
         * @param supplies images each demand may send; null for the demands' own sizes
         * @return {served images, grams}
         */
        static double[] minCostMaxFlow(double[][] cost, double[][] capacity, List<Demand> demands, double[] supplies) {
            int pools = cost.length;
            int hours = cost[0].length;
            int source = demands.size() + pools * hours;
            int sink = source + 1;
            ReferenceFlow g = new ReferenceFlow(sink + 1);
            for (int d = 0; d < demands.size(); d++) {
                Demand demand = demands.get(d);
                g.arc(source, d, supplies == null ? demand.images() : supplies[d], 0);
                for (int h = demand.firstHour(); h <= demand.lastHour(); h++) {
                    for (int p = 0; p < pools; p++) {
                        if ((demand.allowedPools() >>> p & 1) != 0) {
                            g.arc(d, demands.size() + p * hours + h, Double.POSITIVE_INFINITY, cost[p][h]);
                        }
                    }
                }
            }
            for (int p = 0; p < pools; p++) {
                for (int h = 0; h < hours; h++) {
                    g.arc(demands.size() + p * hours + h, sink, capacity[p][h], 0);
                }
            }
            return g.run(source, sink);
        }

        private double[] run(int source, int sink) {
            double flow = 0;
            double grams = 0;
            while (true) {
                double[] dist = new double[head.length];
                int[] via = new int[head.length];
                Arrays.fill(dist, Double.POSITIVE_INFINITY);
                dist[source] = 0;
                for (int round = 0; round < head.length; round++) {
                    boolean changed = false;
                    for (int a = 0; a < arcs.size(); a++) {
                        int from = arcs.get(a)[0];
                        int to = arcs.get(a)[1];
                        if (room.get(a) > 1e-12 && dist[from] + price.get(a) < dist[to] - 1e-12) {
                            dist[to] = dist[from] + price.get(a);
                            via[to] = a;
                            changed = true;
                        }
                    }
                    if (!changed) {
                        break;
                    }
                }
                if (dist[sink] == Double.POSITIVE_INFINITY) {
                    return new double[] {flow, grams};
                }
                double push = Double.POSITIVE_INFINITY;
                for (int v = sink; v != source; v = arcs.get(via[v])[0]) {
                    push = Math.min(push, room.get(via[v]));
                }
                for (int v = sink; v != source; v = arcs.get(via[v])[0]) {
                    int a = via[v];
                    room.set(a, room.get(a) - push);
                    room.set(a ^ 1, room.get(a ^ 1) + push);
                    grams += push * price.get(a);
                }
                flow += push;
            }
        }
    }
}
