package io.un0.sim;

import io.un0.routing.PoolView;
import io.un0.routing.Rate;
import io.un0.routing.Urgency;
import io.un0.sim.engine.SimJob;
import io.un0.sim.engine.Simulation;
import io.un0.sim.engine.Workload;
import io.un0.sim.optimum.Demand;
import io.un0.sim.optimum.OfflineOptimum;
import io.un0.sim.optimum.Placement;
import io.un0.sim.scenario.Scenario;
import io.un0.sim.scenario.Traces;
import io.un0.vocabulary.Precision;
import io.un0.vocabulary.Sci;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The limit: the same workload placed with perfect foresight of every job and every hour's grid, as a fluid
 * transport problem solved exactly (hour by hour, pool by pool, int8 at one step, within each pool's budgeted
 * capacity). Being fluid it ignores queueing inside an hour, so no online policy can beat it.
 */
final class OptimumRun {

    private OptimumRun() {
    }

    record Outcome(double gramsPerImage, double servedImages, double unservedImages, double seconds) {
    }

    static Outcome solve(Scenario scenario, Traces traces, Simulation simulation) {
        long t0 = System.nanoTime();
        int hours = (int) Math.ceil(simulation.horizon() / 3600);
        List<Scenario.Pool> pools = scenario.pools();
        double[][] cost = new double[pools.size()][hours];
        double[][] capacity = new double[pools.size()][hours];
        int perHour = (int) (3600 / Simulation.BUDGET_INTERVAL_SECONDS);
        for (int h = 0; h < hours; h++) {
            double[] speedSum = new double[pools.size()];
            for (int i = 0; i < perHour; i++) {
                double at = h * 3600.0 + i * Simulation.BUDGET_INTERVAL_SECONDS;
                List<PoolView> views = simulation.poolViews(at);
                for (int p = 0; p < pools.size(); p++) {
                    Rate int8 = views.get(p).rates().get(Precision.INT8);
                    double speed = views.get(p).budgetedEvalsPerSecond(Precision.INT8) / int8.evalsPerSecond();
                    speedSum[p] += speed;
                    capacity[p][h] += speed * int8.evalsPerSecond() * Simulation.BUDGET_INTERVAL_SECONDS;
                }
            }
            for (int p = 0; p < pools.size(); p++) {
                Scenario.Pool pool = pools.get(p);
                Rate int8 = pool.rates().get(Precision.INT8);
                double speed = speedSum[p] / perHour;
                if (speed <= 0) {
                    continue;
                }
                double secondsPerImage = 1 / (int8.evalsPerSecond() * speed);
                double joules = (pool.idleWatts() + (int8.fullWatts() - pool.idleWatts()) * speed) * secondsPerImage;
                cost[p][h] = Sci.operationalGrams(joules, traces.intensity(scenario.region(pool), h * 3600.0))
                        + pool.embodiedGramsPerHour() / 3600 * secondsPerImage;
            }
        }
        List<Demand> demands = demands(scenario, hours);
        Placement placement = OfflineOptimum.solve(cost, capacity, demands);
        double unserved = 0;
        for (double u : placement.unserved()) {
            unserved += u;
        }
        return new Outcome(placement.grams() / placement.servedImages(), placement.servedImages(), unserved, (System.nanoTime() - t0) / 1e9);
    }

    /** The workload summed per arrival hour, kind and home region: the same jobs the simulator runs, for the same seed. */
    private static List<Demand> demands(Scenario scenario, int hours) {
        long all = (1L << scenario.pools().size()) - 1;
        Map<String, Long> regionMasks = new HashMap<>();
        for (int p = 0; p < scenario.pools().size(); p++) {
            regionMasks.merge(scenario.region(scenario.pools().get(p)), 1L << p, (a, b) -> a | b);
        }
        Map<String, double[]> byKey = new HashMap<>();
        Workload workload = new Workload(scenario);
        for (SimJob job = workload.next(); job != null; job = workload.next()) {
            String key = job.urgency() + "|" + (job.homeRegion() == null ? "" : job.homeRegion());
            byKey.computeIfAbsent(key, k -> new double[hours])[(int) (job.arrival() / 3600)] += job.images();
        }
        int window = scenario.workload().deferralHours();
        List<Demand> demands = new ArrayList<>();
        byKey.forEach((key, perHour) -> {
            String[] parts = key.split("\\|", -1);
            boolean deferrable = Urgency.valueOf(parts[0]) == Urgency.DEFERRABLE;
            long mask = parts[1].isEmpty() ? all : regionMasks.get(parts[1]);
            for (int h = 0; h < hours; h++) {
                if (perHour[h] > 0) {
                    demands.add(new Demand(perHour[h], h, deferrable ? Math.min(hours - 1, h + window - 1) : h, mask));
                }
            }
        });
        return demands;
    }
}
